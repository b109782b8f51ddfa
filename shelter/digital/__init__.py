"""Offline triage of suspicious messages and files sent to exiles: what a message or file does, whether
it imitates a service, whether it matches a known campaign, and a verdict. Plain Python, no Django, no
network: links are read, never fetched. Only when asked (``dnscheck``, `shelter triage --online`) is DNS
queried about the sender, which can reveal that the message is being examined.

Modules: ``findings`` (the vocabulary, in two languages), ``domains`` (registrable domains, look-alikes
of the services exiles use), ``links`` (links, images and forms in text and HTML), ``headers`` (sender
authentication and identity), ``files`` (attachments by content), ``iocs`` (indicator feeds: STIX 2.1
as MVT reads it, plain lists), ``message`` (the whole message, within limits), ``verdict``, ``dkimcheck``
(DKIM against keys given in a file), ``dnscheck`` (DKIM keys, SPF and DMARC from DNS, when allowed).
"""



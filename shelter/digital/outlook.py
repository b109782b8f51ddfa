"""Outlook .msg files turned into the message they hold (headers as transported, bodies, attachments),
so that the same checks read them as any .eml."""

import io
import logging
from email.message import EmailMessage
from email.policy import default

SKIPPED = {"content-type", "content-transfer-encoding", "mime-version"}


class NotOutlook(ValueError):
    """Not an Outlook message, or one that cannot be read."""


def to_eml(data: bytes) -> bytes:
    import extract_msg

    logging.getLogger("extract_msg").setLevel(logging.ERROR)  # it reports every unusual property it meets
    try:
        msg = extract_msg.openMsg(io.BytesIO(data))
    except Exception as e:  # noqa: BLE001 — whatever the library raises, the file is read as a file instead
        raise NotOutlook(type(e).__name__) from e
    try:
        message = EmailMessage(policy=default)
        transported = msg.header
        if transported is not None and len(transported.keys()):
            for name, value in transported.items():
                if name.lower() not in SKIPPED:
                    message[name] = str(value).replace("\r", " ").replace("\n", " ")
        else:
            message["From"], message["To"], message["Subject"] = msg.sender or "", msg.to or "", msg.subject or ""
        message.set_content(msg.body or "")
        html = msg.htmlBody
        if html:
            message.add_alternative(html.decode("utf-8", "replace") if isinstance(html, bytes) else html, subtype="html")
        for attachment in msg.attachments:
            payload = getattr(attachment, "data", None)
            if isinstance(payload, bytes):
                message.add_attachment(payload, maintype="application", subtype="octet-stream",
                                       filename=attachment.longFilename or attachment.shortFilename or "attachment")
        return bytes(message)
    finally:
        msg.close()

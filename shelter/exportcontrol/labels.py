"""The words the export pages, the memo and the letter show for the request's codes."""

from django.utils.translation import gettext_lazy as _

ROLES = {"end_user": _("End user"), "consignee": _("Consignee"), "intermediary": _("Intermediary"), "owner": _("Owner")}
CONFIDENCE = {"declared": _("declared by the exporter"), "high": _("high confidence"),
              "medium": _("medium confidence"), "low": _("low confidence")}
PURPOSES = {
    "law_enforcement": _("Law enforcement"), "security_service": _("A security service"), "billing": _("Billing"),
    "qos": _("Quality of service"), "qoe": _("Quality of experience"), "marketing": _("Marketing"),
    "network_security": _("Network security"), "vulnerability_disclosure": _("Vulnerability disclosure"),
    "incident_response": _("Cyber incident response"), "other": _("Something else"),
}

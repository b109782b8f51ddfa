"""The indicator feeds every suspicious message and file is checked against: those shipped with Shelter,
with their publishers and licences, and those imported here. Administrators import; everyone who
triages sees what the checks know."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shelter.artefacts import feeds
from shelter.audit.log import record
from shelter.digital import iocs

from ..forms import IndicatorFeedForm
from .artefacts import INDICATOR_TYPES


@login_required
def feed_list(request):
    form = None
    if request.user.manages_users:
        form = IndicatorFeedForm(request.POST or None, request.FILES or None)
    elif request.method == "POST":
        raise PermissionDenied
    if form is not None and request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            feed = feeds.import_feed(upload.read(), upload.name, form.cleaned_data["name"], form.cleaned_data["campaign"],
                                     form.cleaned_data["source"])
        except feeds.ShippedName:
            form.add_error("name", _("This is the name of a feed shipped with Shelter."))
        except iocs.FeedError as e:
            form.add_error("file", _("Nothing was imported: %(reason)s") % {"reason": e})
        else:
            count = feed.indicators.count()
            record(request.user, "import", feed, request=request, object_type="indicatorfeed", indicators=count)
            messages.success(request, _("%(count)s indicators imported.") % {"count": count})
            return redirect("indicator-feeds")
    shipped, imported = iocs.built_in_summaries(), feeds.imported_summaries()
    for feed in shipped + imported:
        feed["counts"] = [(INDICATOR_TYPES.get(t, t), n) for t, n in sorted(feed["by_type"].items())]
    return render(request, "front/feed_list.html", {"shipped": shipped, "imported": imported, "form": form})

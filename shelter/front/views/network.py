"""The network of actors in the browser: a list to start from with the "who to look at" ranking, and
an ego view of one record — its neighbourhood, a few steps out, capped — as a graph (a vendored
Cytoscape.js draws it from the JSON twin of the page) and as tables that work without JavaScript.
Everything comes from the cases the reader may see; names as the reader may see them (pseudonyms for
researchers); identifiers are named by one of their records, never by their digest."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_POST
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.utils.translation import get_language, gettext_lazy

from shelter import countries
from shelter.actors.models import Actor, ActorKind, Confidence, Identifier, IdentifierKind, LinkSide, LinkStatus
from shelter.actors.network import Filters, graph_of, identifier_node_key, neighbourhood
from shelter.audit.log import record
from shelter.network import export
from shelter.network.analysis import active_by_year, ranking
from shelter.network.graph import build, ego
from shelter.records import access, sealing
from shelter.security import approvals
from shelter.records.models import Case, Incident, Organisation, Person
from shelter.records.fields import validate_partial_date

from ..charts import bar_chart
from .common import page

CAP_STEP = 20
MAX_CAP = 500
MAX_RADIUS = 3
RANKED_UP_TO = 1500  # actors; above, the ranking would make the page wait (the CLI export serves large networks)

RELATIONS = {"member_of": gettext_lazy("member of"), "claims": gettext_lazy("claims to be from"), "uses": gettext_lazy("uses"),
             "involved": gettext_lazy("involved in"), "targeted": gettext_lazy("targeted in"), "perpetrator": gettext_lazy("acted in"),
             "instigator": gettext_lazy("ordered or directed"), "intermediary": gettext_lazy("passed on or facilitated"),
             "present": gettext_lazy("was present at"), "same_actor": gettext_lazy("is the same as"),
             "likely_same_actor": gettext_lazy("is likely the same as")}
KIND_NAMES = {"actor": gettext_lazy("Actor"), "identifier": gettext_lazy("Identifier"), "incident": gettext_lazy("Incident"),
              "person": gettext_lazy("Targeted person"), "organisation": gettext_lazy("Organisation")}


@login_required
def network_index(request):
    return _index(request)


def _index(request, export_error: str = ""):
    cases = access.visible_cases(request.user)
    try:
        filters = _filters(request)
    except BadFilter as e:
        filters, error = Filters(), str(e)
    else:
        error = ""
    everyone = Actor.objects.filter(case__in=cases)
    actors = filters.actors(everyone).select_related("case", "organisation").prefetch_related("names")
    ranked, activity = None, None
    if everyone.count() <= RANKED_UP_TO:
        graph = graph_of(cases)
        ranked = [{**row, "url": _centre_url(_client_id(graph, row["node"])), "reasons": [_reason(r) for r in row["reasons"]]}
                  for row in ranking(graph, top=10)]
        activity = bar_chart(list(active_by_year(graph).items()), url=lambda year: reverse("network") + f"?since={year}&until={year}")
    return render(request, "front/network_index.html", {
        "page": page(request, actors), "ranked": ranked, "activity": activity, "nav": "network", "error": error, "export_error": export_error,
        "may_reveal": request.user.reads_identity and approvals.may_handle(request.user), **_filter_context(request, filters)},
        status=400 if error or export_error else 200)


EXPORTS = {"graphml": ("application/graphml+xml", "graphml"), "gexf": ("application/gexf+xml", "gexf"),
           "ftm": ("application/x-ndjson", "ftm.json")}


@login_required
@require_POST
def network_export(request):
    """The network of the reader's cases as a file: pseudonymised, unless a coordinator or administrator
    gives a two-person export approval of their own (as every export of identity data needs)."""
    fmt = request.POST.get("format")
    if fmt not in EXPORTS:
        return _index(request, export_error=_("Choose GraphML, GEXF or FollowTheMoney."))
    reveal = request.POST.get("identity") == "on"
    if reveal and not (request.user.reads_identity and approvals.may_handle(request.user)):
        return _index(request, export_error=_("Only coordinators and administrators export identity data, with an approval."))
    cases = access.visible_cases(request.user).filter(wrapped_key__isnull=False)
    approval = request.POST.get("approval", "").strip()
    if reveal and settings.SHELTER_EXPORT_APPROVAL:
        try:
            approvals.consume(approval, [] if request.user.sees_all_cases else [c.reference for c in cases],
                              actor=request.user, request=request, owner=request.user)
        except approvals.ApprovalRefused:
            return _index(request, export_error=_("This approval cannot be used: it is not yours, not approved yet, already used, "
                                           "expired, or for other cases."))
    with sealing.scope(reveal=reveal):
        graph = graph_of(cases)
        data = export.serialise(graph, fmt)
    record(request.user, "export", object_type="network", request=request, format=fmt, pseudonymised=not reveal,
           nodes=graph.number_of_nodes(), **({"approval": approval} if reveal and approval else {}))
    content_type, extension = EXPORTS[fmt]
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="shelter-network.{extension}"'
    return response


@login_required
def network_ego(request):
    try:
        view = _ego(request)
    except BadFilter as e:
        view = {**_ego(request, Filters()), "error": str(e)}
    return render(request, "front/network_ego.html", {**view, "nav": "network", **_filter_context(request, view["filters"])},
                  status=400 if view.get("error") else 200)


@login_required
def network_ego_json(request):
    try:
        view = _ego(request)
    except BadFilter as e:
        return JsonResponse({"error": str(e)}, status=400)
    return JsonResponse({"centre": view["centre"], "nodes": view["nodes"], "edges": view["edges"],
                         "shown": view["shown"], "more": view["more"], "cap": view["cap"]})


def _ego(request, filters: Filters | None = None) -> dict:
    cases = None if request.user.sees_all_cases else access.visible_cases(request.user)  # None: every case
    centre = _centre(request)
    filters = filters or _filters(request)
    radius = _bounded(request.GET.get("radius"), 1, MAX_RADIUS, 1)
    cap = _bounded(request.GET.get("cap"), CAP_STEP, MAX_CAP, CAP_STEP)
    graph = build(neighbourhood(cases, centre, radius, filters))
    centre_node = f"{centre[0]}:{centre[1]}"
    if centre_node not in graph:  # filtered out, or without any relation the reader may see
        graph.add_node(centre_node, kind=_graph_kind(centre[0]), label="", cases=set())
    shown, more = ego(graph, centre_node, radius=radius, cap=cap)
    nodes = _nodes(request, shown, centre_node)
    ids = {node: row["id"] for node, row in zip(shown.nodes, nodes, strict=True)}
    edges = [{"source": ids[a], "target": ids[b], "relation": str(RELATIONS.get(d.get("relation"), d.get("relation", ""))),
              "date": d.get("date", "")} for a, b, d in (_subject_first(shown, *edge) for edge in shown.edges(data=True))]
    labels = {row["id"]: row["label"] for row in nodes}
    edge_rows = [{**edge, "source": labels[edge["source"]], "target": labels[edge["target"]]} for edge in edges]
    query = {k: v for k, v in request.GET.lists() if k != "cap"}
    return {"centre": ids[centre_node], "centre_row": nodes[list(shown.nodes).index(centre_node)], "nodes": nodes, "edges": edges,
            "edge_rows": edge_rows, "shown": len(nodes) - 1, "more": more, "cap": cap, "radius": radius, "filters": filters,
            "more_url": "?" + urlencode({**query, "cap": min(cap + CAP_STEP, MAX_CAP)}, doseq=True) if more and cap < MAX_CAP else "",
            "json_url": reverse("network-ego-json") + "?" + request.GET.urlencode()}


def _centre(request) -> tuple[str, str]:
    """The record at the centre, as the reader may see it; 404 otherwise (no difference leaks)."""
    kind, _sep, pk = request.GET.get("centre", "").partition(":")
    models = {"actor": Actor, "incident": Incident, "person": Person, "identifier": Identifier}
    if kind == "org":  # organisations are public; what the view shows of them is the reader's cases'
        try:
            return ("org", str(Organisation.objects.get(pk=pk).pk))
        except (Organisation.DoesNotExist, ValidationError, ValueError) as e:
            raise Http404("not found") from e
    if kind not in models:
        raise Http404("not found")
    record = access.get_visible_or_404(request.user, models[kind], pk)
    if kind == "identifier":
        if not record.digest:
            raise Http404("not found")
        return ("identifier", identifier_node_key(record))
    return (kind, str(record.pk))


def _nodes(request, graph, centre_node) -> list[dict]:
    references = dict(Case.objects.filter(pk__in={c for _, d in graph.nodes(data=True) for c in d["cases"]}).values_list("pk", "reference"))
    references = {str(pk): ref for pk, ref in references.items()}
    paths = {kind: _path(kind) for kind in ("actor", "incident", "person", "organisation")}
    records = [d["record"] for _, d in graph.nodes(data=True) if d.get("record")]
    owners = {str(pk): paths["actor" if a else "person" if p else "incident"].format(a or p or i)
              for pk, a, p, i in Identifier.objects.filter(pk__in=records).values_list("pk", "actor_id", "person_id", "incident_id")}
    elsewhere = set()
    if not request.user.sees_all_cases:  # coordinators see every side already
        elsewhere = {str(pk) for pk in LinkSide.objects.filter(identifier_id__in=records).exclude(
            link__status=LinkStatus.REJECTED).values_list("identifier_id", flat=True)}
    # Labels translated once, not once a node.
    kinds = {kind: str(label) for kind, label in KIND_NAMES.items()}
    details = {**{v: str(label) for v, label in ActorKind.choices}, **{v: str(label) for v, label in IdentifierKind.choices}}
    confidences = {v: str(label) for v, label in Confidence.choices}
    language = get_language()[:2]
    centre_base = reverse("network-ego") + "?centre="
    rows = []
    for node, data in graph.nodes(data=True):
        kind, pk = node.split(":", 1)
        row = {"id": _client_id(graph, node), "kind": data["kind"], "kind_label": kinds[data["kind"]],
               "label": data.get("label") or "—", "centre": node == centre_node,
               "cases": sorted(references[c] for c in data["cases"] if c in references), "date": data.get("date", "")}
        if data["kind"] == "actor":
            confidence = data.get("confidence", "")
            row.update(detail=" · ".join(filter(None, [details.get(data.get("actor_kind"), ""), confidences.get(confidence, "")])),
                       confidence=confidence, url=paths["actor"].format(pk))
        elif data["kind"] == "identifier":
            row.update(detail=details.get(data.get("identifier_kind"), ""), url=owners.get(data.get("record")),
                       elsewhere=data.get("record") in elsewhere)
        else:
            row.update(detail=countries.name(data.get("country", "") or data.get("host_state", ""), language),
                       url=paths[data["kind"]].format(pk))
        row["centre_url"] = centre_base + row["id"]  # ids are [a-z0-9:-] only
        rows.append(row)
    return rows


def _path(kind: str) -> str:
    """The path of a record's page, with its id left to fill in (one reverse a kind, not one a node)."""
    blank = "00000000-0000-0000-0000-000000000000"
    return reverse(kind, args=[blank]).replace(blank, "{}")  # the record pages' URL names are the kinds


SUBJECTS_FIRST = ["actor", "person", "incident", "identifier", "organisation"]


def _subject_first(graph, a, b, data):
    """An edge as its relation reads: the actor is a member of the agency, the incident uses the phone."""
    rank = SUBJECTS_FIRST.index
    return (a, b, data) if rank(graph.nodes[a]["kind"]) <= rank(graph.nodes[b]["kind"]) else (b, a, data)


def _client_id(graph, node: str) -> str:
    """Identifiers are named by one of their records: their digest never leaves the server."""
    data = graph.nodes[node]
    return f"identifier:{data['record']}" if data["kind"] == "identifier" and data.get("record") else node


def _centre_url(client_id: str) -> str:
    return reverse("network-ego") + "?" + urlencode({"centre": client_id})


def _graph_kind(kind: str) -> str:
    return "organisation" if kind == "org" else kind


class BadFilter(ValueError):
    pass


def _filters(request) -> Filters:
    since, until = (request.GET.get(k, "").strip() for k in ("since", "until"))
    for value in (since, until):
        if value:
            try:
                validate_partial_date(value)
            except ValidationError as e:
                raise BadFilter(_("A period is given as YYYY, YYYY-MM or YYYY-MM-DD.")) from e
    return Filters(actor_kinds=frozenset(k for k in request.GET.getlist("kind") if k in ActorKind.values),
                   confidences=frozenset(c for c in request.GET.getlist("confidence") if c in Confidence.values),
                   since=since, until=until)


def _filter_context(request, filters: Filters) -> dict:
    return {"filters": filters, "actor_kinds": ActorKind.choices, "confidences": Confidence.choices,
            "centre_param": request.GET.get("centre", ""), "radius_choices": range(1, MAX_RADIUS + 1)}


def _bounded(value, low: int, high: int, default: int) -> int:
    try:
        return max(low, min(high, int(value)))
    except (TypeError, ValueError):
        return default


def _reason(reason: dict) -> str:
    if reason["reason"] == "cases":
        return ngettext("seen in %(n)s case", "seen in %(n)s cases", reason["n"]) % reason
    if reason["reason"] == "countries":
        return ngettext("active in %(n)s host country", "active in %(n)s host countries", reason["n"]) % reason
    if reason["reason"] == "broker":
        return _("a broker between parts of the network")
    return ngettext("%(n)s incident", "%(n)s incidents", reason["n"]) % reason

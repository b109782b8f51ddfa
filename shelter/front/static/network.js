// The ego view as a graph (Cytoscape.js, vendored). The page's tables say the same without JavaScript;
// this draws them, shows a point's details on a tap, and expands a point step by step from the JSON
// twin of the page, a capped neighbourhood at a time. Text goes in with textContent, never as HTML.
(function () {
  "use strict";
  var box = document.querySelector(".network[data-src]");
  if (!box || typeof cytoscape !== "function") return;
  var STEP = 20;
  var source = new URL(box.dataset.src, window.location.href);
  var details = document.getElementById("network-details");
  var template = document.getElementById("network-details-template");
  var caps = {}; // how many neighbours of each expanded point are shown
  var more = {}; // and how many more there are
  var colours = { actor: "#a4282a", identifier: "#5b6b7a", incident: "#c98a1b", person: "#2f5d7c", organisation: "#6b4fa0" };
  var shapes = { actor: "ellipse", identifier: "diamond", incident: "round-rectangle", person: "ellipse", organisation: "hexagon" };

  function elements(data) {
    var found = data.nodes.map(function (node) { return { group: "nodes", data: Object.assign({}, node) }; });
    data.edges.forEach(function (edge, i) {
      found.push({ group: "edges", data: { id: edge.source + "|" + edge.target + "|" + edge.relation + "|" + i,
        source: edge.source, target: edge.target, relation: edge.relation, date: edge.date } });
    });
    return found;
  }

  function style() {
    var rules = [
      { selector: "node", style: { label: "data(label)", "font-size": 10, "text-wrap": "ellipsis", "text-max-width": 120,
        "text-valign": "bottom", "text-margin-y": 4, color: "#1f2933", width: 22, height: 22, "border-width": 1, "border-color": "#fff" } },
      { selector: "node[?centre]", style: { width: 34, height: 34, "border-width": 4, "border-color": "#1f3446", "font-weight": "bold" } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#f3d27a" } },
      { selector: "edge", style: { width: 1.5, "line-color": "#b8c2cc", "curve-style": "bezier" } },
      { selector: "edge:selected", style: { "line-color": "#2f5d7c", label: "data(relation)", "font-size": 9 } },
    ];
    Object.keys(colours).forEach(function (kind) {
      rules.push({ selector: 'node[kind = "' + kind + '"]', style: { "background-color": colours[kind], shape: shapes[kind] } });
    });
    return rules;
  }

  function query(centre, cap) {
    var url = new URL(source);
    url.searchParams.set("centre", centre);
    url.searchParams.set("radius", "1");
    url.searchParams.set("cap", String(cap));
    return url;
  }

  function fill(field, value) {
    var element = details.querySelector('[data-field="' + field + '"]');
    if (element) element.textContent = value || "";
    return element;
  }

  function show(node) {
    var data = node.data();
    details.replaceChildren(template.content.cloneNode(true));
    fill("kind_label", data.detail ? data.kind_label + " · " + data.detail : data.kind_label);
    fill("label", data.label);
    fill("cases", (data.cases || []).join(", "));
    details.querySelector('[data-field="elsewhere"]').hidden = !data.elsewhere;
    var moreNote = details.querySelector('[data-field="more"]');
    if (more[data.id]) {
      moreNote.hidden = false;
      moreNote.textContent = box.dataset.moreText.replace("%(shown)s", caps[data.id]).replace("%(more)s", more[data.id]);
    }
    link("centre_url", data.centre_url);
    link("url", data.url);
    var expand = details.querySelector('[data-action="expand"]');
    expand.addEventListener("click", function () { grow(data.id, (caps[data.id] || 0) + STEP, expand); });
    if (caps[data.id] && !more[data.id]) expand.hidden = true;
  }

  function showEdge(edge) {
    // A relation: who or what, how, with whom or what, and when.
    details.replaceChildren(template.content.cloneNode(true));
    fill("kind_label", edge.data("relation"));
    fill("label", edge.source().data("label") + " — " + edge.target().data("label"));
    fill("cases", edge.data("date") || "");
    details.querySelector('[data-field="elsewhere"]').hidden = true;
    details.querySelector(".network-actions").remove();
  }

  function link(field, href) {
    var element = details.querySelector('[data-field="' + field + '"]');
    if (href) element.href = href; else element.remove();
  }

  function grow(centre, cap, button) {
    if (button) button.disabled = true;
    fetch(query(centre, cap), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        var known = {};
        cy.edges().forEach(function (edge) { known[edge.data("source") + "|" + edge.data("target") + "|" + edge.data("relation")] = true; });
        var fresh = elements(data).filter(function (element) {
          if (element.group === "nodes") {
            element.data.centre = false; // the page's centre stays the one marked
            return !cy.getElementById(element.data.id).length;
          }
          var pair = element.data.source + "|" + element.data.target + "|" + element.data.relation;
          var reverse = element.data.target + "|" + element.data.source + "|" + element.data.relation;
          return !known[pair] && !known[reverse];
        });
        caps[centre] = data.shown;
        more[centre] = data.more;
        cy.add(fresh);
        cy.layout({ name: "cose", animate: false, randomize: false, fit: true, padding: 24 }).run();
        var node = cy.getElementById(centre);
        node.select();
        show(node);
      })
      .catch(function () { if (button) button.disabled = false; });
  }

  box.hidden = false;
  var cy = cytoscape({ container: document.getElementById("network-graph"), style: style(), minZoom: 0.2, maxZoom: 3,
    boxSelectionEnabled: false });
  cy.on("tap", "node", function (event) { show(event.target); });
  cy.on("tap", "edge", function (event) { showEdge(event.target); });
  fetch(source, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
    .then(function (data) {
      cy.add(elements(data));
      caps[data.centre] = data.shown;
      more[data.centre] = data.more;
      cy.layout({ name: "cose", animate: false, fit: true, padding: 24 }).run();
      box.dataset.ready = "true";
    })
    .catch(function () { box.hidden = true; });
})();

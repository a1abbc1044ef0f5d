/* sitroom report page.
 * Data come from the two <script type="application/json"> blocks and reach the DOM only through
 * textContent, createTextNode and setAttribute on attributes this file names; never innerHTML.
 * Article text is untrusted: that is what keeps it text. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("sitroom-data").textContent);
  var geo = JSON.parse(document.getElementById("sitroom-geo").textContent);
  var SVGNS = "http://www.w3.org/2000/svg";
  // ACLED's six event types; anything else is drawn grey.
  var TYPE_COLOURS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c",
    "Riots": "#8c564b",
    "Strategic developments": "#1f77b4"
  };
  var HOLDER_COLOURS = ["#6a3d9a", "#b15928", "#33a02c", "#e31a1c", "#1f78b4", "#ff7f00"];
  var RELATIONS = ["origin", "duplicate", "rewrite", "spun", "independent"];

  var events = data.events || [];
  var articlesById = {};
  (data.articles || []).forEach(function (a) { articlesById[a.article_id] = a; });
  var eventsById = {};
  events.forEach(function (e) { eventsById[e.event_id] = e; });

  var state = { type: "", actor: "", place: "", from: "", to: "", selected: null, rows: 0 };

  // ------------------------------------------------------------------------------ helpers
  function str(v) { return v === null || v === undefined ? "" : String(v); }

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "text") el.textContent = str(v);
      else if (k === "class") el.className = v;
      else el.setAttribute(k, str(v));
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      el.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(str(c)) : c);
    });
    return el;
  }

  function svg(tag, attrs) {
    var el = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, str(attrs[k])); });
    return el;
  }

  function safeUrl(url) {
    // Only web links become links: a javascript: or data: URL from an article stays text.
    return /^https?:\/\//i.test(str(url)) ? str(url) : null;
  }

  function typeColour(t) { return TYPE_COLOURS[t] || "#7f7f7f"; }

  function holderColour(holder) {
    var n = 0, s = str(holder);
    for (var i = 0; i < s.length; i++) n = (n * 31 + s.charCodeAt(i)) >>> 0;
    return HOLDER_COLOURS[n % HOLDER_COLOURS.length];
  }

  function uniqueSorted(values) {
    var seen = {};
    values.forEach(function (v) { if (v) seen[v] = true; });
    return Object.keys(seen).sort(function (a, b) { return a.localeCompare(b); });
  }

  function dayValue(iso) {
    // "2021-06-22" or a coarser "2021-06" (placed on the first of the month)
    var m = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(str(iso));
    return m ? Date.UTC(+m[1], +m[2] - 1, m[3] ? +m[3] : 1) : null;
  }

  // The range that holds the bulk of some values, robust to a few far-off ones (one misdated
  // event must not stretch the timeline over a decade, nor one far place zoom the map to the
  // world): Tukey's fences, quartiles -/+ 3 interquartile ranges, the spread at least `floor`.
  // Values outside are the outliers; they are listed beside the view, never dropped.
  function bulkRange(values, floor) {
    var v = values.slice().sort(function (a, b) { return a - b; });
    if (!v.length) return null;
    function q(p) {
      var at = (v.length - 1) * p, lo = Math.floor(at), hi = Math.ceil(at);
      return v[lo] + (v[hi] - v[lo]) * (at - lo);
    }
    var spread = Math.max(q(0.75) - q(0.25), floor);
    var lo = q(0.25) - 3 * spread, hi = q(0.75) + 3 * spread;
    var inside = v.filter(function (x) { return x >= lo && x <= hi; });
    return { lo: lo, hi: hi, min: inside[0], max: inside[inside.length - 1] };
  }

  function placeLabel(e) {
    return [e.location, e.admin2, e.admin1, e.country].filter(Boolean).filter(function (v, i, a) {
      return a.indexOf(v) === i;
    }).join(", ");
  }

  // Long lists are drawn a page at a time: a store of 100,000 articles holds more rows than a
  // browser draws as elements without stalling; the rest stay a click away.
  var PAGE_ROWS = 200;

  // Appends render(item) to `into` for the first PAGE_ROWS items, and a button that appends the
  // next page; returns the button's paragraph (null when everything fits), to place after the list.
  function paged(into, items, render, noun) {
    var done = 0;
    var more = h("button", { type: "button", class: "more" });
    var box = h("p", { class: "more-box" }, [more]);
    function next() {
      var stop = Math.min(items.length, done + PAGE_ROWS);
      for (; done < stop; done++) into.appendChild(render(items[done]));
      var left = items.length - done;
      more.textContent = "Show " + Math.min(PAGE_ROWS, left) + " more " + noun + " (" + left + " not shown)";
      box.hidden = left === 0;
    }
    more.addEventListener("click", next);
    next();
    return items.length > PAGE_ROWS ? box : null;
  }

  function table(columns, rows, options) {
    options = options || {};
    if (!rows.length) return h("p", { class: "empty", text: options.empty || "None in this run." });
    var head = h("tr", {}, columns.map(function (c) { return h("th", { scope: "col", text: c.label }); }));
    var body = h("tbody");
    var more = paged(body, rows, function (row) {
      return h("tr", {}, columns.map(function (c) {
        var v = c.get(row);
        return h("td", { class: c.cls || null }, [v instanceof Node ? v : str(v)]);
      }));
    }, options.noun || "rows");
    return h("div", {}, [h("table", { class: options.cls || null }, [h("thead", {}, [head]), body]), more]);
  }

  function articleItem(aid) {
    var a = articlesById[aid];
    if (!a) return h("li", {}, [h("code", { text: aid })]);
    var meta = [a.outlet, a.wire ? "wire: " + a.wire : "", a.published].filter(Boolean).join(" · ");
    var url = safeUrl(a.url);
    return h("li", {}, [
      h("code", { text: aid }), " ",
      url ? h("a", { href: url, rel: "noopener noreferrer nofollow", target: "_blank", text: a.title || url })
          : h("span", { text: a.title }),
      meta ? h("span", { class: "muted", text: " (" + meta + ")" }) : null
    ]);
  }

  // ------------------------------------------------------------------------------ filters
  function matches(e) {
    if (state.type && e.event_type !== state.type) return false;
    if (state.actor && e.actor1 !== state.actor && e.actor2 !== state.actor) return false;
    if (state.place && [e.location, e.admin2, e.admin1, e.country].indexOf(state.place) < 0) return false;
    if (state.from || state.to) {
      var d = str(e.event_date).slice(0, 10);
      if (!d) return false;
      if (state.from && d < state.from) return false;
      if (state.to && d > state.to) return false;
    }
    return true;
  }

  function buildFilters() {
    var nav = document.getElementById("filters");
    function select(id, label, values, key) {
      var el = h("select", { id: id, name: key }, [h("option", { value: "", text: "all" })].concat(
        values.map(function (v) { return h("option", { value: v, text: v }); })));
      el.addEventListener("change", function () { state[key] = el.value; update(); });
      return h("label", {}, [label + " ", el]);
    }
    function dateInput(id, label, key) {
      var el = h("input", { id: id, type: "date", name: key });
      el.addEventListener("change", function () { state[key] = el.value; update(); });
      return h("label", {}, [label + " ", el]);
    }
    var actors = [];
    events.forEach(function (e) { actors.push(e.actor1, e.actor2); });
    var places = [];
    events.forEach(function (e) { places.push(e.location, e.admin2, e.admin1, e.country); });
    var reset = h("button", { id: "filter-reset", type: "button", text: "Reset" });
    reset.addEventListener("click", function () {
      ["type", "actor", "place", "from", "to"].forEach(function (k) { state[k] = ""; });
      Array.prototype.forEach.call(nav.querySelectorAll("select, input"), function (el) { el.value = ""; });
      update();
    });
    nav.appendChild(h("strong", { text: "Filter events:" }));
    nav.appendChild(select("filter-type", "Type", uniqueSorted(events.map(function (e) { return e.event_type; })), "type"));
    nav.appendChild(select("filter-actor", "Actor", uniqueSorted(actors), "actor"));
    nav.appendChild(select("filter-place", "Place", uniqueSorted(places), "place"));
    nav.appendChild(dateInput("filter-from", "From", "from"));
    nav.appendChild(dateInput("filter-to", "To", "to"));
    nav.appendChild(reset);
    var legend = h("span", { class: "legend" });
    Object.keys(TYPE_COLOURS).forEach(function (t) {
      var sw = svg("svg", { width: 12, height: 12, "aria-hidden": "true" });
      sw.appendChild(svg("circle", { cx: 6, cy: 6, r: 5, fill: TYPE_COLOURS[t] }));
      legend.appendChild(h("span", { class: "legend-item" }, [sw, " " + t]));
    });
    nav.appendChild(legend);
  }

  // ------------------------------------------------------------------------------ map
  var map = null, eventLayer = null, controlLayer = null, markers = {};
  var CANVAS_ABOVE = 2000;

  function buildMap() {
    if (typeof L === "undefined") return;
    // SVG markers are elements too: past a few thousand they slow every redraw, a canvas does not
    map = L.map("map", { zoomSnap: 0.25, worldCopyJump: false, preferCanvas: events.length > CANVAS_ABOVE });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Boundaries: Natural Earth · Leaflet");
    var countries = L.geoJSON(geo, {
      style: { color: "#8c8c8c", weight: 0.7, fillColor: "#f3efe6", fillOpacity: 1 },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(h("span", { text: feature.properties.name }), { sticky: true, opacity: 0.8 });
      }
    }).addTo(map);
    eventLayer = L.layerGroup().addTo(map);
    controlLayer = L.layerGroup().addTo(map);
    map.createPane("control").style.zIndex = 450;  // rings above the event markers they surround
    L.control.layers(null, { "Events": eventLayer, "Control": controlLayer, "Boundaries": countries },
      { collapsed: window.innerWidth < 700 }).addTo(map);
    map.on("zoomend moveend", function () { hideCrowdedLabels(); });
    (data.control || []).forEach(function (c) {
      if (c.latitude === null || c.longitude === null) return;
      var ring = L.circleMarker([c.latitude, c.longitude], {
        radius: 24, color: holderColour(c.holder), weight: 3, fill: false, pane: "control",
        dashArray: c.status === "contested" ? "5 4" : null, className: "control-ring"
      });
      ring.bindTooltip(h("span", { text: str(c.place) + ": " + str(c.holder) + " (" + str(c.status) +
        (c.date ? ", " + c.date : "") + ")" }));
      ring.addTo(controlLayer);
    });
    var holders = uniqueSorted((data.control || []).map(function (c) { return c.holder; }));
    if (holders.length) {
      var legend = h("p", { class: "note", id: "control-legend" }, ["Control rings (dashed: contested): "]);
      holders.forEach(function (holder) {
        var sw = svg("svg", { width: 14, height: 14, "aria-hidden": "true" });
        sw.appendChild(svg("circle", { cx: 7, cy: 7, r: 5, fill: "none", stroke: holderColour(holder), "stroke-width": 3 }));
        legend.appendChild(h("span", { class: "legend-item" }, [sw, " " + holder + "  "]));
      });
      document.getElementById("map-section").appendChild(legend);
    }
    var located = events.filter(function (e) { return e.latitude !== null && e.longitude !== null; });
    labelLayer = L.layerGroup().addTo(map);
    if (!located.length) { map.setView([25, 20], 2); return; }
    var latRange = bulkRange(located.map(function (e) { return e.latitude; }), 0.5);
    var lonRange = bulkRange(located.map(function (e) { return e.longitude; }), 0.5);
    var inView = [], far = [];
    located.forEach(function (e) {
      var inside = e.latitude >= latRange.lo && e.latitude <= latRange.hi &&
        e.longitude >= lonRange.lo && e.longitude <= lonRange.hi;
      (inside ? inView : far).push(e);
    });
    if (inView.length) map.fitBounds(L.latLngBounds(inView.map(function (e) {
      return [e.latitude, e.longitude]; })).pad(0.25), { maxZoom: 8 });
    else map.setView([25, 20], 2);
    listOutliers("map-outliers", far, "outside the map's view (zoom out to see them)",
      function (e) { return placeLabel(e) + " (" + e.latitude + ", " + e.longitude + ")"; });
  }

  // Names of the places with events, on the map: the busiest first, at most LABELS of them,
  // so that a crowded area stays readable.
  var labelLayer = null, LABELS = 25;
  function drawLabels(shown) {
    if (!map) return;
    labelLayer.clearLayers();
    var places = {};
    shown.forEach(function (e) {
      if (e.latitude === null || e.longitude === null) return;
      var name = e.location || e.admin2 || e.admin1;
      if (!name) return;
      var key = name + "@" + e.latitude.toFixed(2) + "," + e.longitude.toFixed(2);
      var p = places[key] || (places[key] = { name: name, lat: e.latitude, lon: e.longitude, n: 0 });
      p.n += 1;
    });
    var ranked = Object.keys(places).map(function (k) { return places[k]; })
      .sort(function (a, b) { return b.n - a.n || a.name.localeCompare(b.name); }).slice(0, LABELS);
    ranked.forEach(function (p) {
      var anchor = L.circleMarker([p.lat, p.lon], { radius: 0, opacity: 0, fillOpacity: 0, interactive: false });
      anchor.bindTooltip(h("span", { text: p.name + (p.n > 1 ? " (" + p.n + ")" : "") }), {
        permanent: true, direction: "right", offset: [8, 0], className: "place-label", opacity: 1
      });
      anchor.addTo(labelLayer);
    });
    hideCrowdedLabels();
  }

  // A label that would cover a busier place's label is hidden (until a zoom gives it room).
  // Only the labels drawn now count: Leaflet fades removed ones out for a moment, still in the page.
  function hideCrowdedLabels() {
    if (!labelLayer) return;
    var kept = [];
    labelLayer.getLayers().forEach(function (anchor) {
      var el = anchor.getTooltip() && anchor.getTooltip().getElement();
      if (!el) return;
      el.style.visibility = "";
      var r = el.getBoundingClientRect();
      var clash = kept.some(function (k) {
        return r.left < k.right && r.right > k.left && r.top < k.bottom && r.bottom > k.top;
      });
      if (clash) el.style.visibility = "hidden"; else kept.push(r);
    });
  }

  // A short list, under a view, of the events it leaves out (they stay in the table).
  function listOutliers(id, items, why, describe) {
    var box = document.getElementById(id);
    if (!box) return;
    box.textContent = "";
    if (!items.length) { box.hidden = true; return; }
    box.hidden = false;
    box.appendChild(h("span", { text: items.length + (items.length === 1 ? " event lies " : " events lie ") + why + ": " }));
    items.forEach(function (e, i) {
      var b = h("button", { type: "button", class: "link outlier", "data-event-id": e.event_id,
        text: (e.event_date || "undated") + " " + describe(e) });
      b.addEventListener("click", function () { select(e.event_id, true); });
      box.appendChild(b);
      if (i < items.length - 1) box.appendChild(document.createTextNode(" · "));
    });
  }

  function drawMarkers(shown) {
    if (!map) return;
    eventLayer.clearLayers();
    markers = {};
    shown.forEach(function (e) {
      if (e.latitude === null || e.longitude === null) return;
      var m = L.circleMarker([e.latitude, e.longitude], {
        radius: Math.min(30, 6 + 2.5 * Math.sqrt(e.fatalities || 0)),
        color: "#222", weight: e.event_id === state.selected ? 3 : 1,
        fillColor: typeColour(e.event_type), fillOpacity: 0.8, className: "event-marker"
      });
      m.bindTooltip(h("span", {}, [
        h("strong", { text: str(e.event_date) + " · " + e.sub_event_type }), h("br"),
        placeLabel(e) + (e.fatalities ? " · " + e.fatalities + " killed" : "")
      ]));
      m.on("click", function () { select(e.event_id, true); });
      m.addTo(eventLayer);
      markers[e.event_id] = m;
    });
  }

  // ------------------------------------------------------------------------------ timeline
  function drawTimeline(shown) {
    var box = document.getElementById("timeline");
    box.textContent = "";
    var dated = events.filter(function (e) { return dayValue(e.event_date) !== null; });
    if (!dated.length) { box.appendChild(h("p", { class: "empty", text: "No dated events." })); return; }
    var types = uniqueSorted(events.map(function (e) { return e.event_type; }));
    var DAY = 86400000;
    var range = bulkRange(dated.map(function (e) { return dayValue(e.event_date); }), 30 * DAY);
    var t0 = range.min - DAY, t1 = range.max + DAY;
    var outside = dated.filter(function (e) {
      var d = dayValue(e.event_date); return d < range.lo || d > range.hi; });
    listOutliers("timeline-outliers", outside, "far outside the others' dates, off the timeline",
      function (e) { return e.sub_event_type + " — " + placeLabel(e); });
    var width = Math.max(320, box.clientWidth || 900), right = 40, lane = 28, top = 10;
    var left = width < 500 ? 120 : 190;  // lane labels: a narrow screen gives them less room
    var height = top + lane * types.length + 30;
    var x = function (t) { return left + (width - left - right) * (t - t0) / (t1 - t0); };
    var s = svg("svg", { width: width, height: height, role: "img", "aria-label": "Timeline of events" });
    types.forEach(function (t, i) {
      var y = top + lane * i + lane / 2;
      s.appendChild(svg("line", { x1: left, x2: width - right, y1: y, y2: y, class: "lane" }));
      var label = svg("text", { x: left - 8, y: y + 4, "text-anchor": "end", class: "lane-label" });
      label.textContent = t;
      s.appendChild(label);
    });
    var ticks = Math.max(2, Math.floor((width - left - right) / 90));  // a label needs ~90 px
    var step = Math.max(1, Math.ceil((t1 - t0) / DAY / ticks)) * DAY;  // whole days between ticks
    var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    for (var t = t0; t <= t1; t += step) {
      var xx = x(t), when = new Date(t);
      s.appendChild(svg("line", { x1: xx, x2: xx, y1: top, y2: height - 22, class: "tick" }));
      var tl = svg("text", { x: xx, y: height - 8, "text-anchor": "middle", class: "tick-label" });
      tl.textContent = when.getUTCDate() + " " + MONTHS[when.getUTCMonth()] + " " + when.getUTCFullYear();
      s.appendChild(tl);
    }
    shown.forEach(function (e) {
      var d = dayValue(e.event_date);
      if (d === null || d < range.lo || d > range.hi) return;
      var c = svg("circle", {
        cx: x(d), cy: top + lane * types.indexOf(e.event_type) + lane / 2,
        r: Math.min(12, 4 + 1.5 * Math.sqrt(e.fatalities || 0)), fill: typeColour(e.event_type),
        class: "tl-event" + (e.event_id === state.selected ? " selected" : ""), "data-event-id": e.event_id
      });
      var title = svg("title");
      title.textContent = str(e.event_date) + " " + e.sub_event_type + " — " + placeLabel(e);
      c.appendChild(title);
      c.addEventListener("click", function () { select(e.event_id, true); });
      s.appendChild(c);
    });
    box.appendChild(s);
    var undated = shown.length - shown.filter(function (e) { return dayValue(e.event_date) !== null; }).length;
    if (undated) box.appendChild(h("p", { class: "note undated-note", text: undated +
      (undated === 1 ? " event has" : " events have") + " no date: not on the timeline, listed last in the table." }));
  }

  // ------------------------------------------------------------------------------ events table
  function eventDetail(e) {
    var evidence = h("ol", { class: "evidence" }, (e.evidence || []).map(function (sentence) {
      return h("li", {}, [h("blockquote", { text: sentence })]);
    }));
    var facts = [
      ["Fatalities", e.fatalities === null ? "unknown" : str(e.fatalities) +
        (e.fatalities_max !== null && e.fatalities_max !== e.fatalities ? " (up to " + e.fatalities_max + ")" : "")],
      ["Claim status", e.claim_status],
      ["Reports / independent sources", str(e.n_reports) + " / " + str(e.n_independent_sources)],
      ["Place", placeLabel(e) + (e.latitude !== null ? " (" + e.latitude + ", " + e.longitude + ")" : "")],
      ["Precision", "time " + str(e.time_precision) + ", geo " + str(e.geo_precision)],
      ["Actor types", [e.inter1, e.inter2].filter(Boolean).join(" / ")],
      ["Acting for", [[e.actor1, e.assoc_actor_1], [e.actor2, e.assoc_actor_2]].filter(function (p) {
        return p[0] && p[1]; }).map(function (p) { return p[0] + ": " + p[1]; }).join(" · ")],
      ["ACLED id", e.event_id_cnty],
      ["Read as", e.trace]
    ];
    return h("div", { class: "detail" }, [
      e.notes ? h("p", { class: "summary-line", text: e.notes }) : null,
      h("h4", { text: "Evidence" }),
      (e.evidence || []).length ? evidence : h("p", { class: "empty", text: "No evidence sentences stored." }),
      more(e.evidence_total, (e.evidence || []).length, "evidence sentences"),
      h("h4", { text: "Sources" }),
      h("ul", { class: "sources" }, (e.sources || []).map(function (src) { return h("li", { text: src }); })),
      h("h4", { text: "Articles" }),
      h("ul", { class: "articles" }, (e.article_ids || []).map(articleItem)),
      more(e.article_ids_total, (e.article_ids || []).length, "articles"),
      h("dl", {}, [].concat.apply([], facts.filter(function (f) { return f[1]; }).map(function (f) {
        return [h("dt", { text: f[0] }), h("dd", { text: f[1] })];
      })))
    ]);
  }

  // An event's long lists come cut (report.EVENT_LIST_CAP); say how many the event has.
  function more(total, shown, noun) {
    if (!total || total <= shown) return null;
    return h("p", { class: "muted cut", text: "… and " + (total - shown) + " more " + noun +
      " (" + total + " in all; events.csv lists them)" });
  }

  function drawTable(shown) {
    var box = document.getElementById("events");
    box.textContent = "";
    document.getElementById("event-count").textContent = "(" + shown.length + " of " + events.length + ")";
    if (!shown.length) {
      box.appendChild(h("p", { class: "empty", text: events.length ? "No event matches the filters." : "None in this run." }));
      return;
    }
    var cols = ["Date", "Type", "Sub-type", "Actor 1", "Actor 2", "Place", "Fatalities", "Status", "Reports"];
    var body = h("tbody");
    var at = shown.findIndex(function (e) { return e.event_id === state.selected; });
    state.rows = Math.max(state.rows, at + 1);  // the event chosen on the map or timeline is drawn
    shown.slice(0, state.rows).forEach(function (e) {
      var open = e.event_id === state.selected;
      var row = h("tr", { class: "event-row" + (open ? " selected" : ""), "data-event-id": e.event_id,
                          tabindex: 0, "aria-expanded": open ? "true" : "false" }, [
        h("td", { text: e.event_date }),
        h("td", {}, [h("span", { class: "swatch", "data-type": e.event_type }), e.event_type]),
        h("td", { text: e.sub_event_type }), h("td", { text: e.actor1 }), h("td", { text: e.actor2 }),
        h("td", { text: placeLabel(e) }), h("td", { text: e.fatalities === null ? "" : e.fatalities }),
        h("td", { text: e.claim_status }), h("td", { text: e.n_reports })
      ]);
      row.querySelector(".swatch").appendChild(swatch(typeColour(e.event_type)));
      row.addEventListener("click", function () { select(open ? null : e.event_id, false); });
      row.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); select(open ? null : e.event_id, false); }
      });
      body.appendChild(row);
      if (open) {
        body.appendChild(h("tr", { class: "event-detail", "data-event-id": e.event_id }, [
          h("td", { colspan: cols.length }, [eventDetail(e)])]));
      }
    });
    box.appendChild(h("table", { class: "events" }, [
      h("thead", {}, [h("tr", {}, cols.map(function (c) { return h("th", { scope: "col", text: c }); }))]), body]));
    var left = shown.length - state.rows;
    if (left > 0) {
      var more = h("button", { type: "button", class: "more",
        text: "Show " + Math.min(PAGE_ROWS, left) + " more events (" + left + " not shown)" });
      more.addEventListener("click", function () { state.rows += PAGE_ROWS; drawTable(events.filter(matches)); });
      box.appendChild(h("p", { class: "more-box" }, [more]));
    }
  }

  function swatch(colour) {
    var s = svg("svg", { width: 10, height: 10, "aria-hidden": "true" });
    s.appendChild(svg("circle", { cx: 5, cy: 5, r: 5, fill: colour }));
    return s;
  }

  function select(id, scroll) {
    state.selected = id;
    update();
    if (id && scroll) {
      var row = document.querySelector('tr.event-row[data-event-id="' + CSS.escape(id) + '"]');
      if (row) row.scrollIntoView({ block: "center" });
    }
  }

  function update() {
    var shown = events.filter(matches);
    state.rows = Math.max(state.rows, PAGE_ROWS);
    if (state.selected && !shown.some(function (e) { return e.event_id === state.selected; })) state.selected = null;
    drawMarkers(shown);
    drawLabels(shown);
    drawTimeline(shown);
    drawTable(shown);
  }

  // A large store's page inlines the leading part of some lists (report.LIST_BUDGET_CHARS);
  // the reader is told where the rest are.
  function partialNote(sectionId, key, file, api) {
    var total = (data.totals || {})[key], inlined = (data[key] || []).length;
    if (total === undefined || total <= inlined) return;
    document.getElementById(sectionId).appendChild(h("p", { class: "note partial", text:
      "This page holds the first " + inlined + " of " + total + " " + key + "; all are in " + file +
      " beside it, and at " + api + " when the folder is served (sitroom serve)." }));
  }

  // ------------------------------------------------------------------------------ stories
  function drawStories() {
    var box = document.getElementById("stories");
    var stories = data.stories || [];
    if (!stories.length) { box.appendChild(h("p", { class: "empty", text: "None in this run." })); return; }
    var more = paged(box, stories, function (s) {
      var links = s.lineage || [];
      var ids = {}, children = {};
      links.forEach(function (l) { ids[l.article_id] = l; });
      var roots = [];
      links.forEach(function (l) {
        if (l.derived_from && ids[l.derived_from] && l.derived_from !== l.article_id) {
          (children[l.derived_from] = children[l.derived_from] || []).push(l);
        } else roots.push(l);
      });
      var seen = {};
      function node(l) {
        if (seen[l.article_id]) return null;  // a malformed lineage with a cycle is drawn once
        seen[l.article_id] = true;
        var rel = RELATIONS.indexOf(l.relation) >= 0 ? l.relation : "other";
        var a = articlesById[l.article_id] || {};
        var label = h("div", { class: "node" }, [
          h("span", { class: "rel rel-" + rel, text: l.relation }), " ",
          h("code", { text: l.article_id }), " ",
          h("span", { text: a.title || "" }),
          a.outlet ? h("span", { class: "muted", text: " · " + a.outlet }) : null,
          l.derived_from ? h("span", { class: "muted", text: " · similarity " + Number(l.similarity).toFixed(2) }) : null,
          (l.signs || []).length ? h("div", { class: "signs", text: "signs: " + l.signs.join("; ") }) : null
        ]);
        var kids = (children[l.article_id] || []).map(node).filter(Boolean);
        return h("li", {}, [label, kids.length ? h("ul", {}, kids) : null]);
      }
      return h("div", { class: "story", "data-story-id": s.story_id }, [
        h("h3", { text: s.title }),
        h("p", { class: "muted", text: s.article_ids.length + " article(s) · " + s.n_independent_sources +
          " independent source(s) · origin " + s.origin_article_id + " · " + s.story_id }),
        h("ul", { class: "tree" }, roots.map(node).filter(Boolean))
      ]);
    }, "stories");
    if (more) box.parentNode.appendChild(more);
  }

  // ------------------------------------------------------------------------------ other tables
  function drawOthers() {
    document.getElementById("quotes").appendChild(table([
      { label: "Speaker", get: function (q) {
        var name = q.speaker_canonical || q.speaker || "";
        // an unnamed source is its role ("a military official"): say it once
        var bare = function (v) { return str(v).toLowerCase().replace(/^(a|an|the)\s+/, "").trim(); };
        var role = q.speaker_role && bare(name).indexOf(bare(q.speaker_role)) < 0 ? q.speaker_role : "";
        return [name, role].filter(Boolean).join(", ");
      } },
      // quotation marks only for the speaker's own words; reported speech is not a quotation
      { label: "Said", cls: "quote", get: function (q) {
        if (q.kind !== "direct") return h("span", { class: "reported", text: q.text });
        // the page draws the quotation marks; the text's own outer pair would double them
        return h("q", { text: str(q.text).replace(/^\s*["“”„«»']+\s*|\s*["“”„«»']+\s*$/g, "") });
      } },
      { label: "Kind", get: function (q) { return q.kind + (q.stance === "deny" ? " (denial)" : ""); } },
      { label: "Article", get: function (q) { return h("code", { text: q.article_id }); } }
    ], data.quotes || [], { cls: "quotes", noun: "quotes" }));
    document.getElementById("contradictions").appendChild(table([
      { label: "Subject", get: function (c) { return c.subject; } },
      { label: "Field", get: function (c) { return c.field; } },
      { label: "One side", get: function (c) { return c.value_a; } },
      { label: "Sources", get: function (c) { return (c.sources_a || []).join("; "); } },
      { label: "Other side", get: function (c) { return c.value_b; } },
      { label: "Sources", get: function (c) { return (c.sources_b || []).join("; "); } },
      { label: "Kind", get: function (c) { return c.kind; } }
    ], data.contradictions || [], { cls: "contradictions", noun: "contradictions" }));
    document.getElementById("control").appendChild(table([
      { label: "Place", get: function (c) { return c.place; } },
      { label: "Admin1", get: function (c) { return c.admin1; } },
      { label: "Admin2", get: function (c) { return c.admin2; } },
      { label: "Date", get: function (c) { return c.date; } },
      { label: "Holder", get: function (c) { return c.holder; } },
      { label: "Status", get: function (c) { return c.status; } },
      { label: "Events", get: function (c) {
        return h("span", {}, (c.event_ids || []).map(function (id) {
          if (!eventsById[id]) return h("code", { text: id + " " });
          var b = h("button", { type: "button", class: "link", text: id });
          b.addEventListener("click", function () { state.type = state.actor = state.place = state.from = state.to = "";
            Array.prototype.forEach.call(document.querySelectorAll("#filters select, #filters input"), function (el) { el.value = ""; });
            select(id, true); });
          return b;
        }));
      } }
    ], data.control || [], { cls: "control", noun: "control records" }));
    document.getElementById("articles").appendChild(table([
      { label: "Article", get: function (a) { return h("code", { text: a.article_id }); } },
      { label: "Title (click for the cleaned text)", get: function (a) {
        var url = safeUrl(a.url);
        var link = url ? h("a", { href: url, rel: "noopener noreferrer nofollow", target: "_blank", text: "source" }) : null;
        if (a.text === null || a.text === undefined) return h("span", {}, [a.title, link ? " " : null, link]);
        return h("details", { class: "article-text", "data-article-id": a.article_id }, [
          h("summary", { text: a.title || a.article_id }),
          link ? h("p", {}, [link]) : null,
          h("div", { class: "text", text: a.text })
        ]);
      } },
      { label: "Outlet", get: function (a) { return a.outlet; } },
      { label: "Wire", get: function (a) { return a.wire; } },
      { label: "Published", get: function (a) { return a.published ? a.published + " (" + a.published_source + ")" : ""; } },
      { label: "Story", get: function (a) { return a.story_id; } },
      { label: "Words", get: function (a) { return a.words; } }
    ], data.articles || [], { cls: "articles", noun: "articles" }));
    if (data.texts_included === false) {
      document.getElementById("articles").appendChild(h("p", { class: "note",
        text: "Article texts are too long to inline here; they are in the clean/ folder beside this page." }));
    }
  }

  // ------------------------------------------------------------------------------ masthead
  // The lead of the page: what period and places the events cover, and the figures that count.
  function buildMasthead() {
    var dated = events.filter(function (e) { return dayValue(e.event_date) !== null; });
    var range = bulkRange(dated.map(function (e) { return dayValue(e.event_date); }), 30 * 86400000);
    var perCountry = {};
    events.forEach(function (e) { if (e.country) perCountry[e.country] = (perCountry[e.country] || 0) + 1; });
    var countries = Object.keys(perCountry).sort(function (a, b) {
      return perCountry[b] - perCountry[a] || a.localeCompare(b); });
    var regions = {};
    events.forEach(function (e) { if (e.admin1) regions[e.admin1] = (regions[e.admin1] || 0) + 1; });
    var top = Object.keys(regions).sort(function (a, b) { return regions[b] - regions[a] || a.localeCompare(b); }).slice(0, 3);
    function day(t) { return new Date(t).toISOString().slice(0, 10); }
    var parts = [];
    if (countries.length) parts.push(countries.slice(0, 3).join(", ") + (countries.length > 3 ? " and " + (countries.length - 3) + " more" : ""));
    if (range) parts.push(range.min === range.max ? day(range.min) : day(range.min) + " to " + day(range.max));
    if (top.length) parts.push("most events in " + top.join(", "));
    document.getElementById("dek").textContent = parts.join(" · ");
    var killed = events.reduce(function (n, e) { return n + (e.fatalities || 0); }, 0);
    var figures = [
      [events.length, "events"], [killed, "reported killed (lowest figures)"],
      [uniqueSorted(events.map(function (e) { return e.location || e.admin1; })).length, "places"],
      [(data.totals || {}).stories, "stories"], [(data.totals || {}).articles, "articles"],
      [(data.contradictions || []).length, "contradictions"]
    ];
    var box = document.getElementById("figures");
    figures.forEach(function (f) {
      var n = typeof f[0] === "number" ? f[0].toLocaleString("en") : str(f[0]);
      box.appendChild(h("div", { class: "figure" }, [h("strong", { text: n }), h("span", { text: f[1] })]));
    });
  }

  buildMasthead();
  buildFilters();
  buildMap();
  drawStories();
  drawOthers();
  partialNote("stories-section", "stories", "stories.json", "/api/stories");
  partialNote("quotes-section", "quotes", "quotes.csv", "/api/quotes");
  partialNote("articles-section", "articles", "articles.csv", "/api/articles");
  update();
  document.body.setAttribute("data-ready", "true");
})();

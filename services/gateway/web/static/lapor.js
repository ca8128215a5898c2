/* Progressive enhancement of the report form: choosing a province fills the
   regencies, choosing a regency fills the districts, and either refreshes the
   target agencies offered (the form works without it). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var picker = document.querySelector("[data-region-picker]");
  if (!picker) { return; }
  var levels = ["province", "regency", "district"];
  function select(level) { return picker.querySelector('[data-level="' + level + '"]'); }
  function clear(from) {
    for (var i = levels.indexOf(from); i < levels.length; i++) {
      var s = select(levels[i]);
      while (s.options.length > 1) { s.remove(1); }
    }
  }
  function fill(level, parent) {
    clear(level);
    if (!parent) { return; }
    fetch("/lapor/wilayah?induk=" + encodeURIComponent(parent))
      .then(function (r) { return r.ok ? r.json() : { regions: [] }; })
      .then(function (data) {
        var s = select(level);
        data.regions.forEach(function (region) {
          s.add(new Option(region.name, region.code));
        });
      });
  }
  var agencies = document.querySelector("[data-agency-picker]");
  var asked = 0;  // only the answer to the latest choice of place counts
  function offerAgencies(region) {
    if (!agencies) { return; }
    var mine = ++asked;
    fetch("/lapor/instansi?wilayah=" + encodeURIComponent(region || ""))
      .then(function (r) { return r.ok ? r.json() : { groups: [] }; })
      .then(function (data) {
        if (mine !== asked) { return; }
        var chosen = agencies.value;
        while (agencies.options.length > 1) { agencies.remove(1); }
        agencies.querySelectorAll("optgroup").forEach(function (g) { g.remove(); });
        data.groups.forEach(function (group) {
          var optgroup = document.createElement("optgroup");
          optgroup.label = group.label;
          group.agencies.forEach(function (agency) {
            optgroup.appendChild(new Option(agency.name, agency.code, false, agency.code === chosen));
          });
          agencies.appendChild(optgroup);
        });
      });
  }
  select("province").addEventListener("change", function (e) {
    fill("regency", e.target.value);
    offerAgencies(e.target.value);
  });
  select("regency").addEventListener("change", function (e) {
    fill("district", e.target.value);
    offerAgencies(e.target.value || select("province").value);
  });
})();

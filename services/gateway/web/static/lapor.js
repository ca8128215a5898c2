/* Progressive enhancement of the report form: choosing a province fills the
   regencies, choosing a regency fills the districts (the form works without it). */
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
  select("province").addEventListener("change", function (e) { fill("regency", e.target.value); });
  select("regency").addEventListener("change", function (e) { fill("district", e.target.value); });
})();

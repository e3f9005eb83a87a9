// Registry pages: cascading region selects, member villages, HS code search-as-you-type,
// the province -> regency filter, and confirmations. Progressive enhancement only: every form
// works without this script (the village is then typed as a code).
(function () {
  "use strict";

  var LEVELS = ["province", "regency", "district", "village"];

  function sameOrigin(url) {
    // The API's `next` links are absolute; stay on the page's origin and scheme.
    var parsed = new URL(url, window.location.href);
    return parsed.pathname + parsed.search;
  }

  function getJSON(url) {
    return fetch(sameOrigin(url), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
  }

  // Every page of a list: a district can have more than 100 villages.
  function fetchAll(url) {
    var results = [];
    function step(pageUrl) {
      return getJSON(pageUrl).then(function (data) {
        results = results.concat(data.results || []);
        return data.next ? step(data.next) : results;
      });
    }
    return step(url);
  }

  function regionsUrl(api, parent) {
    var query = parent ? "parent=" + encodeURIComponent(parent) : "level=province";
    return api + (api.indexOf("?") === -1 ? "?" : "&") + query + "&page_size=100";
  }

  function normalizeRegion(value) {
    value = (value || "").trim();
    var digits = value.replace(/\./g, "");
    if (!/^\d+$/.test(digits) || [2, 4, 6, 10].indexOf(digits.length) === -1) return value;
    return [digits.slice(0, 2), digits.slice(2, 4), digits.slice(4, 6), digits.slice(6)]
      .filter(Boolean)
      .join(".");
  }

  function ancestry(code) {
    // "74.02.01.2006" -> ["74", "74.02", "74.02.01", "74.02.01.2006"]
    var parts = code.split(".");
    return parts.map(function (_, i) { return parts.slice(0, i + 1).join("."); });
  }

  function inScope(code, scope) {
    return !scope || code === scope || code.indexOf(scope + ".") === 0 ||
      scope.indexOf(code + ".") === 0;
  }

  function capitalize(word) { return word.charAt(0).toUpperCase() + word.slice(1); }

  function placeholder(select, text) {
    select.innerHTML = "";
    select.add(new Option(text, ""));
  }

  // --- Cascading region selects ---------------------------------------------------------------

  function initCascade(input) {
    if (input.disabled || input.readOnly) return;
    var d = input.dataset;
    var api = d.api;
    var scope = d.scope || "";
    var original = input.value;
    var box = document.createElement("div");
    box.className = "region-cascade";
    var selects = LEVELS.map(function (level) {
      var wrap = document.createElement("div");
      wrap.className = "region-level";
      var select = document.createElement("select");
      select.id = input.id + "_" + level;
      select.disabled = true;
      var label = document.createElement("label");
      label.htmlFor = select.id;
      label.textContent = d["label" + capitalize(level)] || level;
      wrap.appendChild(label);
      wrap.appendChild(select);
      box.appendChild(wrap);
      placeholder(select, d.labelChoose || "…");
      return select;
    });
    var status = document.createElement("p");
    status.className = "help cascade-status";
    status.setAttribute("aria-live", "polite");
    input.parentNode.insertBefore(box, input.nextSibling);
    box.parentNode.insertBefore(status, box.nextSibling);
    var fieldLabel = document.querySelector('label[for="' + input.id + '"]');
    if (fieldLabel) fieldLabel.htmlFor = selects[0].id;
    input.type = "hidden";
    // The help text speaks of typing the code: with the lists shown, say what to do instead.
    var help = document.getElementById(input.id + "_helptext");
    var typedHelp = help ? help.textContent : "";
    if (help && d.helpCascade) help.textContent = d.helpCascade;

    var tokens = [0, 0, 0, 0];

    function clearFrom(level) {
      for (var i = level; i < selects.length; i++) {
        tokens[i]++;
        placeholder(selects[i], d.labelChoose || "…");
        selects[i].disabled = true;
      }
    }

    function announce(level) {
      input.dispatchEvent(new CustomEvent("regionchange", {
        bubbles: true,
        detail: { level: LEVELS[level], code: selects[level].value, selects: selects },
      }));
    }

    function fallback() {
      // The list could not be loaded: back to typing the code.
      box.remove();
      if (fieldLabel) fieldLabel.htmlFor = input.id;
      input.type = "text";
      input.value = original;
      if (help) help.textContent = typedHelp;
      status.textContent = d.labelFailed || "";
    }

    function fill(level, items, wanted) {
      var select = selects[level];
      placeholder(select, d.labelChoose || "…");
      items.forEach(function (region) {
        if (!inScope(region.code, scope) || region.retired) return;
        var text = region.name;
        if (level === 3) text += " (" + region.code + ")";
        var option = new Option(text, region.code);
        if (level === 3 && region.kind === "kelurahan") {
          option.disabled = true;
          option.text += " – " + (d.labelKelurahan || "kelurahan");
        }
        select.add(option);
      });
      select.disabled = false;
      var real = Array.prototype.filter.call(select.options, function (o) {
        return o.value && !o.disabled;
      });
      if (wanted && select.querySelector('option[value="' + wanted + '"]')) {
        select.value = wanted;
      } else if (real.length === 1 && level < 3 && scope && inScope(real[0].value, scope) &&
                 scope.split(".").length > level) {
        // An officer's scope fixes the province (and the regency): no choice to make.
        select.value = real[0].value;
      }
    }

    function load(level, parent, wanted) {
      clearFrom(level);
      var token = ++tokens[level];
      placeholder(selects[level], d.labelLoading || "…");
      return fetchAll(regionsUrl(api, parent)).then(function (items) {
        if (token !== tokens[level]) return;
        fill(level, items, wanted[level]);
        changed(level, wanted);
      }).catch(fallback);
    }

    function changed(level, wanted) {
      var value = selects[level].value;
      announce(level);
      if (level === 3) {
        input.value = value;
        return;
      }
      input.value = "";
      if (value) load(level + 1, value, wanted);
      else clearFrom(level + 1);
    }

    selects.forEach(function (select, level) {
      select.addEventListener("change", function () { changed(level, []); });
    });
    var initial = normalizeRegion(original);
    load(0, null, initial ? ancestry(initial) : []);
  }

  // --- Member villages of a BUM Desa Bersama -------------------------------------------------

  function initMembers(textarea) {
    var form = textarea.form;
    var field = textarea.closest(".field");
    var kind = form && form.querySelector("[data-kind-field]");
    var cascade = form && form.querySelector("[data-region-cascade]");
    function toggle() {
      if (field && kind) field.hidden = kind.value !== "bersama" && !textarea.value.trim();
    }
    if (kind) kind.addEventListener("change", toggle);
    toggle();
    if (!cascade || textarea.disabled) return;
    var d = cascade.dataset;
    var picker = document.createElement("div");
    picker.className = "member-picker";
    var district = document.createElement("select");
    var village = document.createElement("select");
    district.setAttribute("aria-label", d.labelDistrict || "District");
    village.setAttribute("aria-label", d.labelVillage || "Village");
    var add = document.createElement("button");
    add.type = "button";
    add.className = "button small secondary";
    add.textContent = "+";
    add.setAttribute("aria-label", textarea.dataset.labelAdd || "Add");
    add.title = textarea.dataset.labelAdd || "Add";
    picker.appendChild(district);
    picker.appendChild(village);
    picker.appendChild(add);
    textarea.parentNode.insertBefore(picker, textarea.nextSibling);
    placeholder(district, d.labelDistrict || "…");
    placeholder(village, d.labelVillage || "…");
    picker.hidden = true;

    cascade.addEventListener("regionchange", function (event) {
      if (event.detail.level !== "regency") return;
      var regency = event.detail.code;
      placeholder(district, d.labelDistrict || "…");
      placeholder(village, d.labelVillage || "…");
      picker.hidden = !regency;
      if (!regency) return;
      fetchAll(regionsUrl(d.api, regency)).then(function (items) {
        items.forEach(function (r) { district.add(new Option(r.name, r.code)); });
      }).catch(function () { picker.hidden = true; });
    });
    district.addEventListener("change", function () {
      placeholder(village, d.labelVillage || "…");
      if (!district.value) return;
      fetchAll(regionsUrl(d.api, district.value)).then(function (items) {
        items.forEach(function (r) {
          var option = new Option(r.name + " (" + r.code + ")", r.code);
          option.disabled = r.kind === "kelurahan";
          village.add(option);
        });
      }).catch(function () { picker.hidden = true; });
    });
    add.addEventListener("click", function () {
      if (!village.value) return;
      var codes = textarea.value.split(/[,;\s]+/).filter(Boolean);
      if (codes.indexOf(village.value) === -1) codes.push(village.value);
      textarea.value = codes.join(", ");
      toggle();
    });
  }

  // --- HS code search-as-you-type ------------------------------------------------------------

  function share(confidence) {
    var percent = Math.round(confidence * 100);
    return percent < 1 ? "<1%" : percent + "%";
  }

  function initHsSearch(input) {
    var api = input.dataset.hsSearch;
    var list = document.createElement("ul");
    list.id = input.getAttribute("aria-controls") || "hs-suggestions";
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var wrap = document.createElement("div");
    wrap.className = "suggest-wrap";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(list);
    var timer = null;
    var token = 0;
    var items = [];
    var active = -1;

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function describe(text) {
      var help = document.getElementById(input.id + "_helptext");
      if (!help) return;
      var current = help.querySelector(".hs-current");
      if (!current) {
        help.appendChild(document.createElement("br"));
        current = document.createElement("span");
        current.className = "hs-current";
        help.appendChild(current);
      }
      current.textContent = text;
    }

    function choose(index) {
      var hs = items[index];
      if (!hs) return;
      input.value = hs.dotted;
      describe(hs.dotted + " " + hs.description);
      close();
    }

    function highlight(index) {
      var options = list.querySelectorAll("li");
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach(function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function render(results) {
      list.innerHTML = "";
      items = results;
      active = -1;
      if (!results.length) { close(); return; }
      results.forEach(function (hs, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        var code = document.createElement("strong");
        code.textContent = hs.dotted;
        li.appendChild(code);
        li.appendChild(document.createTextNode(" " + hs.description));
        if (hs.reason) {
          var why = document.createElement("small");
          why.className = "reason";
          why.textContent = share(hs.confidence) + " · " + hs.reason;
          li.appendChild(why);
        }
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function search() {
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      var mine = ++token;
      var found = getJSON(api + (api.indexOf("?") === -1 ? "?" : "&") + "page_size=12&q=" + encodeURIComponent(q))
        .then(function (data) { return data.results || []; });
      // Words (not a code): the suggestions for them first, with their reasons.
      var suggested = /[a-z]/i.test(q) && input.dataset.hsSuggest
        ? getJSON(input.dataset.hsSuggest + "?q=" + encodeURIComponent(q)).then(function (data) { return data.results || []; }).catch(function () { return []; })
        : Promise.resolve([]);
      Promise.all([suggested, found]).then(function (both) {
        if (mine !== token) return;
        var seen = {};
        var merged = both[0].concat(both[1]).filter(function (hs) {
          if (seen[hs.code]) return false;
          seen[hs.code] = true;
          return true;
        });
        render(merged.slice(0, 12));
      }).catch(close);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(active); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  // --- Suggestions from the product's name ---------------------------------------------------
  // Read from the name (and description) as they are typed; shown beside the HS code, form and
  // unit with a button each. Nothing is filled in until the user picks it.

  function initNameSuggestions(input) {
    var form = input.form;
    var names = (input.dataset.nameFields || "").split(" ").map(function (id) { return document.getElementById(id); }).filter(Boolean);
    var description = document.getElementById(input.dataset.descriptionField || "");
    var formSelect = form.querySelector("select[name=form]");
    var unitSelect = form.querySelector("select[name=unit]");
    if (!names.length) return;
    var box = document.createElement("div");
    box.className = "name-suggestions";
    box.setAttribute("aria-live", "polite");
    box.hidden = true;
    input.closest(".suggest-wrap").insertAdjacentElement("afterend", box);
    var timer = null;
    var token = 0;

    function useButton(label, apply) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button small secondary";
      button.textContent = input.dataset.useLabel;
      button.setAttribute("aria-label", input.dataset.useLabel + ": " + label);
      button.addEventListener("click", function () { apply(); button.disabled = true; });
      return button;
    }

    function optionText(select, value) {
      var option = select && Array.prototype.find.call(select.options, function (o) { return o.value === value; });
      return option ? option.text : "";
    }

    function choiceLine(select, value, title) {
      var text = optionText(select, value);
      if (!text || select.value === value) return null;
      var li = document.createElement("li");
      li.appendChild(document.createTextNode(title + ": " + text + " "));
      li.appendChild(useButton(title + " " + text, function () {
        select.value = value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }));
      return li;
    }

    function render(data) {
      box.innerHTML = "";
      var results = data.results || [];
      if (!results.length) { box.hidden = true; return; }
      var title = document.createElement("p");
      title.className = "title";
      title.textContent = input.dataset.suggestTitle;
      box.appendChild(title);
      var list = document.createElement("ul");
      results.forEach(function (hs) {
        var li = document.createElement("li");
        var code = document.createElement("strong");
        code.textContent = hs.dotted;
        li.appendChild(code);
        li.appendChild(document.createTextNode(" " + hs.description + " "));
        li.appendChild(useButton(hs.dotted, function () {
          input.value = hs.dotted;
          input.dispatchEvent(new Event("change", { bubbles: true }));
        }));
        var why = document.createElement("small");
        why.className = "reason";
        why.textContent = share(hs.confidence) + " · " + hs.reason;
        li.appendChild(why);
        list.appendChild(li);
      });
      [choiceLine(formSelect, data.form, input.dataset.formLabel), choiceLine(unitSelect, data.unit, input.dataset.unitLabel)]
        .forEach(function (li) { if (li) list.appendChild(li); });
      box.appendChild(list);
      box.hidden = false;
    }

    function ask() {
      var q = names.map(function (field) { return field.value.trim(); }).filter(Boolean)[0] || "";
      if (q.length < 3) { box.hidden = true; return; }
      var mine = ++token;
      var url = input.dataset.hsSuggest + "?q=" + encodeURIComponent(q.slice(0, 200));
      if (description && description.value.trim()) url += "&description=" + encodeURIComponent(description.value.trim().slice(0, 500));
      getJSON(url).then(function (data) { if (mine === token) render(data); }).catch(function () { box.hidden = true; });
    }

    names.concat(description ? [description] : []).forEach(function (field) {
      field.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 400); });
    });
    if (!input.value) ask();
  }

  // --- Province -> regency filter -------------------------------------------------------------

  function initRegencyFilter(province) {
    var regency = document.getElementById("id_" + province.dataset.regencySelect);
    if (!regency) return;
    var all = regency.options[0] ? regency.options[0].text : "";
    var token = 0;
    province.addEventListener("change", function () {
      var mine = ++token;
      placeholder(regency, all);
      if (!province.value) return;
      fetchAll(regionsUrl(province.dataset.api, province.value)).then(function (items) {
        if (mine !== token) return;
        var scope = regency.dataset.scope || "";
        items.forEach(function (r) {
          if (inScope(r.code, scope)) regency.add(new Option(r.name, r.code));
        });
      }).catch(function () { /* the form still works after a submit */ });
    });
  }

  // --- Confirmations --------------------------------------------------------------------------

  function initConfirm(form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }

  document.querySelectorAll("input[data-region-cascade]").forEach(initCascade);
  document.querySelectorAll("textarea[data-member-villages]").forEach(initMembers);
  document.querySelectorAll("input[data-hs-search]").forEach(initHsSearch);
  document.querySelectorAll("input[data-hs-suggest][data-name-fields]").forEach(initNameSuggestions);
  document.querySelectorAll("select[data-regency-select]").forEach(initRegencyFilter);
  document.querySelectorAll("form[data-confirm]").forEach(initConfirm);
})();

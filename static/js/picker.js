// Member pickers: as one types two letters of a name, members are suggested (name, picture,
// spaces) from the page's own JSON list; choosing one sends their number. Without this file
// the typed name is sent alone and the page finds who it is (exchange/forms_people.py).
// The ARIA combobox pattern: arrows move, Enter chooses, Escape closes.
(function () {
  "use strict";

  function avatar(member) {
    var node;
    if (member.photo) {
      node = document.createElement("img");
      node.src = member.photo;
      node.alt = "";
      node.width = node.height = 32;
      node.className = "avatar avatar-32";
    } else {
      node = document.createElement("span");
      node.className = "avatar avatar-32 avatar-initials hue-" + member.hue;
      node.setAttribute("aria-hidden", "true");
      node.textContent = member.initials;
    }
    return node;
  }

  function setUp(box) {
    var input = box.querySelector('input[type="text"]');
    var hidden = box.querySelector("input[data-picker-value]");
    var list = box.querySelector('[role="listbox"]');
    var url = box.getAttribute("data-picker");
    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll('[role="option"]');
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    }

    function choose(index) {
      var member = items[index];
      if (!member) { return; }
      hidden.value = String(member.id);
      input.value = member.name;
      close();
    }

    function show(members) {
      items = members;
      list.textContent = "";
      members.forEach(function (member, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + member.id;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.appendChild(avatar(member));
        var words = document.createElement("span");
        var name = document.createElement("strong");
        name.textContent = member.name;
        words.appendChild(name);
        if (member.spaces) {
          var where = document.createElement("span");
          where.className = "meta";
          where.textContent = member.spaces;
          words.appendChild(where);
        }
        option.appendChild(words);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the field
          choose(i);
        });
        list.appendChild(option);
      });
      var open = members.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      active = -1;
    }

    function ask() {
      var typed = input.value.trim();
      if (typed.length < 2) { show([]); return; }
      var mine = ++asked;
      var separator = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + separator + "q=" + encodeURIComponent(typed), {
        headers: { Accept: "application/json" },
        credentials: "same-origin"
      })
        .then(function (response) { return response.ok ? response.json() : { members: [] }; })
        .then(function (data) { if (mine === asked) { show(data.members || []); } })
        .catch(function () { show([]); }); // the plain form still works
    }

    input.addEventListener("input", function () {
      hidden.value = ""; // a new name: the one chosen before no longer holds
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        if (event.key === "ArrowDown" && input.value.trim().length >= 2) { ask(); }
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault(); // choosing is not sending the form
        choose(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.querySelectorAll("[data-picker]").forEach(setUp);
})();

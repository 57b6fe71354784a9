/* Combobox: a text input with data-combobox="<suggestions URL>" becomes a
 * WAI-ARIA 1.2 combobox (list autocomplete) fed by that JSON endpoint
 * ({"results": [{"value", "label"}]}). Without this script the input is a
 * plain text field that the server reads by code, slug or exact name.
 *
 * Keys: typing fetches suggestions; Down/Up move through them (Down opens
 * the list); Enter chooses the highlighted one; Escape closes the list, or
 * clears the text when it is closed; Tab leaves. The chosen value is sent
 * in a hidden input carrying the field's name; the visible input shows the
 * label. */
(function () {
  "use strict";

  function setup(input) {
    var url = input.dataset.combobox;
    var name = input.name;
    var listId = input.id + "-listbox";

    var wrapper = document.createElement("div");
    wrapper.className = "combobox";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);

    // The field's value travels in this hidden input: the chosen code, or
    // what was typed when nothing was chosen (the server then reads it).
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = name;
    hidden.value = input.value;
    input.removeAttribute("name");
    wrapper.appendChild(hidden);
    if (input.dataset.comboboxLabel) {
      input.value = input.dataset.comboboxLabel;
    }
    var chosenLabel = input.dataset.comboboxLabel || null;

    var list = document.createElement("ul");
    list.id = listId;
    list.className = "combobox-list";
    list.setAttribute("role", "listbox");
    var labels = input.labels && input.labels.length ? input.labels[0] : null;
    if (labels) {
      if (!labels.id) {
        labels.id = input.id + "-label";
      }
      list.setAttribute("aria-labelledby", labels.id);
    }
    list.hidden = true;
    wrapper.appendChild(list);

    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    wrapper.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var results = [];
    var active = -1;
    var timer = null;
    var request = 0;

    function say(count) {
      window.clearTimeout(say.timer);
      say.timer = window.setTimeout(function () {
        if (count === 0) {
          status.textContent = input.dataset.comboboxNone;
        } else if (count === 1) {
          status.textContent = input.dataset.comboboxOne;
        } else {
          status.textContent = input.dataset.comboboxMany.replace("%(count)s", String(count));
        }
      }, 500);
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = list.children;
      if (active >= 0 && items[active]) {
        items[active].setAttribute("aria-selected", "false");
      }
      active = index;
      if (index >= 0 && items[index]) {
        items[index].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var result = results[index];
      if (!result) {
        return;
      }
      input.value = result.label;
      hidden.value = result.value;
      chosenLabel = result.label;
      close();
    }

    function render() {
      list.textContent = "";
      results.forEach(function (result, index) {
        var item = document.createElement("li");
        item.id = listId + "-" + index;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = result.label;
        // mousedown, not click: the input must not lose focus (and close the list) first.
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(index);
        });
        list.appendChild(item);
      });
      active = -1;
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      input.removeAttribute("aria-activedescendant");
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (!query) {
        results = [];
        render();
        status.textContent = "";
        return;
      }
      request += 1;
      var mine = request;
      var address = url + (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query);
      fetch(address, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (mine !== request) {
            return; // an older answer arriving after a newer one
          }
          results = data.results || [];
          render();
          say(results.length);
        })
        .catch(function () {
          results = [];
          render();
        });
    }

    input.addEventListener("input", function () {
      // Typing replaces a choice: the server reads the text itself.
      if (input.value !== chosenLabel) {
        chosenLabel = null;
        hidden.value = input.value;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, 200);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (!open) {
            if (results.length) {
              render();
              highlight(0);
            } else {
              fetchSuggestions();
            }
          } else {
            highlight(active + 1 < results.length ? active + 1 : 0);
          }
          break;
        case "ArrowUp":
          if (open) {
            event.preventDefault();
            highlight(active > 0 ? active - 1 : results.length - 1);
          }
          break;
        case "Enter":
          if (open && active >= 0) {
            event.preventDefault(); // choose, do not send the form yet
            choose(active);
          }
          break;
        case "Escape":
          if (open) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            hidden.value = "";
            chosenLabel = null;
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }

  document.querySelectorAll("input[data-combobox]").forEach(setup);
})();

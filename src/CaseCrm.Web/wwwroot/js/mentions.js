// Mention suggestions: in a textarea with data-mentions (the URL of the people to offer), typing @ and letters shows a
// listbox of matching people under it; the arrows move, Enter or Tab writes the chosen @handle, Escape closes. Without
// this script the user types @handle. The textarea keeps the focus: the active option is its aria-activedescendant.
(function () {
    "use strict";
    var typedMention = /(^|[^\p{L}\p{N}._+\-@])@([\p{L}\p{N}._+\-]{1,64})$/u;

    document.querySelectorAll("textarea[data-mentions]").forEach(function (area) {
        var list = document.createElement("ul");
        list.id = area.id + "-mentions";
        list.className = "list-group mention-list";
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-label", area.dataset.mentionsLabel || "");
        list.hidden = true;
        area.insertAdjacentElement("afterend", list);
        area.setAttribute("aria-autocomplete", "list");
        area.setAttribute("aria-controls", list.id);

        var active = -1, start = -1, timer = 0, asked = 0;

        function options() { return list.querySelectorAll("[role=option]"); }

        function close() {
            list.hidden = true;
            list.replaceChildren();
            active = -1;
            area.removeAttribute("aria-activedescendant");
        }

        function highlight(index) {
            var all = options();
            if (all.length === 0) { return; }
            active = (index + all.length) % all.length;
            all.forEach(function (option, i) {
                option.setAttribute("aria-selected", i === active ? "true" : "false");
                option.classList.toggle("active", i === active);
            });
            area.setAttribute("aria-activedescendant", all[active].id);
            all[active].scrollIntoView({ block: "nearest" });
        }

        function choose(option) {
            var caret = area.selectionStart;
            var text = "@" + option.dataset.handle + " ";
            area.value = area.value.slice(0, start) + text + area.value.slice(caret);
            var at = start + text.length;
            area.setSelectionRange(at, at);
            close();
            area.focus();
        }

        function show(people) {
            close();
            people.forEach(function (person, i) {
                var option = document.createElement("li");
                option.id = list.id + "-" + i;
                option.className = "list-group-item list-group-item-action";
                option.setAttribute("role", "option");
                option.setAttribute("aria-selected", "false");
                option.dataset.handle = person.handle;
                var handle = document.createElement("strong");
                handle.textContent = "@" + person.handle;
                option.append(handle, " " + person.name);
                // mousedown, not click: the textarea keeps the focus and the caret.
                option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(option); });
                list.append(option);
            });
            if (people.length > 0) {
                list.hidden = false;
                highlight(0);
            }
        }

        area.addEventListener("input", function () {
            var match = typedMention.exec(area.value.slice(0, area.selectionStart));
            window.clearTimeout(timer);
            if (!match) {
                close();
                return;
            }

            start = area.selectionStart - match[2].length - 1;
            var ask = ++asked;
            timer = window.setTimeout(function () {
                fetch(area.dataset.mentions + "?q=" + encodeURIComponent(match[2]), { headers: { Accept: "application/json" } })
                    .then(function (response) { return response.ok ? response.json() : []; })
                    .then(function (people) {
                        if (ask === asked) { show(people); }
                    })
                    .catch(close);
            }, 150);
        });

        area.addEventListener("keydown", function (event) {
            if (list.hidden) { return; }
            if (event.key === "ArrowDown" || event.key === "ArrowUp") {
                event.preventDefault();
                highlight(active + (event.key === "ArrowDown" ? 1 : -1));
            } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
                event.preventDefault();
                choose(options()[active]);
            } else if (event.key === "Escape") {
                event.preventDefault();
                event.stopPropagation();
                close();
            }
        });

        area.addEventListener("blur", close);
    });
})();

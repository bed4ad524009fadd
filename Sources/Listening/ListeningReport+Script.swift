/// The report's only script, inlined at the end of `<body>`. Plain ES5-level JavaScript with no libraries and no
/// network access. Without it the report still reads in full; it adds:
/// - the map tooltip: the nearest drawn point to the pointer (looked up in the embedded JSON, not per-point
///   elements), or keyboard walking over points with the arrow keys while the map has focus;
/// - clicking a point (or Enter) jumps to that opinion in its cluster's list of supporting opinions;
/// - hovering or focusing a legend entry dims the other clusters;
/// - following a link into a closed list of opinions opens it, so "根拠の意見" links always land on text.
extension ListeningReport {
    static let script = #"""
        (function () {
          "use strict";
          var dataElement = document.getElementById("report-data");
          var svg = document.getElementById("opinion-map");
          var tip = document.getElementById("map-tip");
          var ring = document.getElementById("map-focus");

          function reveal(id) {
            var target = document.getElementById(id);
            if (!target) return;
            for (var node = target; node; node = node.parentElement) {
              if (node.tagName === "DETAILS") node.open = true;
            }
            if (target.classList.contains("subclusters")) {
              var lists = target.querySelectorAll("details.evidence");
              for (var i = 0; i < lists.length; i++) lists[i].open = true;
            }
            target.scrollIntoView({ block: "start" });
          }

          function go(id) {
            if (location.hash !== "#" + id) location.hash = id;
            reveal(id);
          }

          // The browser follows the link itself (its fragment may sit in a closed list); opening runs just after,
          // and also when the fragment is already current, where no hashchange event fires.
          document.addEventListener("click", function (event) {
            var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
            if (!link) return;
            var id = decodeURIComponent(link.getAttribute("href").slice(1));
            if (id) window.setTimeout(function () { reveal(id); }, 0);
          });
          window.addEventListener("hashchange", function () { reveal(decodeURIComponent(location.hash.slice(1))); });
          if (location.hash.length > 1) reveal(decodeURIComponent(location.hash.slice(1)));

          if (!dataElement || !svg || !tip || !ring) return;
          var data = JSON.parse(dataElement.textContent);
          var points = data.points;
          var count = points.length / 4;
          var viewBox = svg.viewBox.baseVal;
          var current = -1;

          function firstOfGroup(group) {
            for (var i = 0; i < count; i++) if (points[4 * i + 2] === group) return i;
            return -1;
          }

          function show(i) {
            current = i;
            if (i < 0 || i >= count) {
              tip.hidden = true;
              ring.setAttribute("cx", "-20");
              ring.setAttribute("cy", "-20");
              return;
            }
            var x = points[4 * i] / 10, y = points[4 * i + 1] / 10, group = points[4 * i + 2];
            ring.setAttribute("cx", String(x));
            ring.setAttribute("cy", String(y));
            tip.textContent = "";
            var cluster = document.createElement("span");
            cluster.className = "tip-cluster";
            cluster.textContent = data.paths[points[4 * i + 3]];
            if (data.groups[group]) cluster.style.borderLeftColor = data.groups[group][2];
            var text = document.createElement("span");
            text.textContent = data.texts[i];
            var source = document.createElement("span");
            source.className = "tip-source";
            source.textContent = "コメント No. " + data.sources[i] + "（" + (i + 1) + " / " + count + "）・選ぶと一覧へ";
            tip.appendChild(cluster);
            tip.appendChild(text);
            tip.appendChild(source);
            tip.hidden = false;
            var box = svg.getBoundingClientRect();
            var wrap = tip.parentNode.getBoundingClientRect();
            var scale = box.width / viewBox.width;
            var left = box.left - wrap.left + x * scale + 14;
            var top = box.top - wrap.top + y * scale + 14;
            if (left + tip.offsetWidth > wrap.width) left = Math.max(0, left - tip.offsetWidth - 28);
            if (top + tip.offsetHeight > wrap.height) top = Math.max(0, top - tip.offsetHeight - 28);
            tip.style.left = left + "px";
            tip.style.top = top + "px";
          }

          function nearest(clientX, clientY) {
            var box = svg.getBoundingClientRect();
            var scale = box.width / viewBox.width;
            var x = (clientX - box.left) / scale * 10, y = (clientY - box.top) / scale * 10;
            var limit = Math.pow(Math.max(14 / scale, data.radius + 3) * 10, 2);
            var best = -1, bestDistance = limit;
            for (var i = 0; i < count; i++) {
              var dx = points[4 * i] - x, dy = points[4 * i + 1] - y;
              var distance = dx * dx + dy * dy;
              if (distance < bestDistance) { bestDistance = distance; best = i; }
            }
            return best;
          }

          var pending = null;
          svg.addEventListener("mousemove", function (event) {
            if (event.target.closest && event.target.closest(".map-label")) { show(-1); return; }
            var position = [event.clientX, event.clientY];
            if (pending === null) {
              window.requestAnimationFrame(function () {
                var p = pending;
                pending = null;
                var i = nearest(p[0], p[1]);
                if (i !== current) show(i);
              });
            }
            pending = position;
          });
          svg.addEventListener("mouseleave", function () { if (document.activeElement !== svg) show(-1); });
          svg.addEventListener("click", function (event) {
            if (event.target.closest && event.target.closest(".map-label")) return;
            var i = nearest(event.clientX, event.clientY);
            if (i >= 0) go(data.ids[i]);
          });
          svg.addEventListener("focus", function (event) { if (event.target === svg && current < 0 && count > 0) show(0); });
          svg.addEventListener("blur", function () { show(-1); });
          svg.addEventListener("keydown", function (event) {
            if (event.target !== svg || count === 0) return;
            var group = current >= 0 ? points[4 * current + 2] : -1;
            var next = null;
            switch (event.key) {
              case "ArrowRight": next = (current + 1) % count; break;
              case "ArrowLeft": next = current <= 0 ? count - 1 : current - 1; break;
              case "ArrowDown":
                for (var g = group + 1; g <= data.groups.length; g++) { next = firstOfGroup(g); if (next >= 0) break; }
                if (next === null || next < 0) next = 0;
                break;
              case "ArrowUp":
                next = -1;
                for (var h = group - 1; h >= 0 && next < 0; h--) next = firstOfGroup(h);
                if (next < 0) next = current < 0 ? 0 : current;
                break;
              case "Home": next = 0; break;
              case "End": next = count - 1; break;
              case "Escape": next = -1; break;
              case "Enter":
                if (current >= 0) go(data.ids[current]);
                event.preventDefault();
                return;
              default: return;
            }
            event.preventDefault();
            show(next);
          });

          var paths = svg.querySelectorAll(".pts");
          function highlight(group) {
            svg.classList.toggle("map-dim", group !== null);
            for (var i = 0; i < paths.length; i++) {
              paths[i].classList.toggle("on", paths[i].getAttribute("data-group") === group);
            }
          }
          var entries = document.querySelectorAll(".legend a[data-group]");
          for (var i = 0; i < entries.length; i++) {
            (function (entry) {
              var group = entry.getAttribute("data-group");
              entry.addEventListener("mouseenter", function () { highlight(group); });
              entry.addEventListener("focus", function () { highlight(group); });
              entry.addEventListener("mouseleave", function () { highlight(null); });
              entry.addEventListener("blur", function () { highlight(null); });
            })(entries[i]);
          }
        })();

        """#
}

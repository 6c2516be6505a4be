/* gcore-captions preview: transcript, timeline and keyboard for one page.
 * Every piece of caption text reaches the page through textContent or
 * createTextNode, never as markup. */
(function () {
  "use strict";

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  var aligned = readJSON("gc-transcript") || {};
  var preview = readJSON("gc-preview") || {};
  var figures = preview.cues || [];
  var cues = (aligned.cues || []).map(function (cue, i) {
    var extra = figures[i] || {};
    return {
      index: i,
      start: cue.start_ms,
      end: cue.end_ms,
      text: String(cue.text == null ? "" : cue.text),
      speaker: cue.speaker || null,
      speed: extra.speed || null,
      reading: extra.reading || null,
      issues: extra.issues || [],
      short: extra.short || extra.issues || [],
      rules: extra.rules || [],
      line: null,
      button: null,
      textNode: null,
      bar: null,
      visible: true,
    };
  });

  var video = document.getElementById("player");
  var list = document.getElementById("lines");
  var timeline = document.getElementById("timeline");
  var bars = timeline.querySelector(".timeline-bars");
  var marks = timeline.querySelector(".timeline-marks");
  var ticks = timeline.querySelector(".timeline-ticks");
  var canvas = timeline.querySelector(".timeline-canvas");
  var playhead = timeline.querySelector(".timeline-playhead");
  var zoomIn = document.getElementById("zoom-in");
  var zoomOut = document.getElementById("zoom-out");
  var zoomLevel = document.getElementById("zoom-level");
  var zoom = 1;
  var search = document.getElementById("search");
  var searchStatus = document.getElementById("search-status");
  var mediaStatus = document.getElementById("media-status");
  var scale = preview.scale || {};
  var durationMs = Math.max(preview.duration_ms || 0, lastEnd(), 1);
  var active = [];
  var SPEED_WORDS = { ok: "within the limit", near: "near the limit", over: "over the limit" };

  function lastEnd() {
    var end = 0;
    cues.forEach(function (cue) { end = Math.max(end, cue.end); });
    return end;
  }

  function clock(ms) {
    var total = Math.floor(Math.max(0, ms) / 1000);
    var h = Math.floor(total / 3600);
    var m = Math.floor((total % 3600) / 60);
    var s = total % 60;
    var mm = (h ? String(m).padStart(2, "0") : String(m));
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function precise(ms) {
    var frac = String(Math.floor(ms % 1000)).padStart(3, "0");
    return clock(ms) + "." + frac;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function describe(cue) {
    var parts = [
      "Cue " + (cue.index + 1) + "  " + precise(cue.start) + " \u2192 " + precise(cue.end),
      cue.text,
    ];
    var seconds = ((cue.end - cue.start) / 1000).toFixed(2) + " s";
    if (cue.reading) {
      var limit = scale.limit ? " (limit " + scale.limit + " " + scale.unit + ")" : "";
      parts.push(cue.reading + limit + ", " + seconds);
    } else {
      parts.push(seconds);
    }
    cue.issues.forEach(function (issue) { parts.push("\u26a0 " + issue); });
    return parts.join("\n");
  }

  /* ---- transcript ------------------------------------------------------ */

  function buildLines() {
    var fragment = document.createDocumentFragment();
    cues.forEach(function (cue) {
      var li = el("li", "line");
      li.dataset.index = String(cue.index);
      if (cue.speed) li.dataset.speed = cue.speed;
      if (cue.issues.length) li.dataset.issues = String(cue.issues.length);
      var button = el("button", "line-btn");
      button.type = "button";
      var time = el("span", "line-time", clock(cue.start));
      time.title = precise(cue.start) + " \u2192 " + precise(cue.end);
      button.appendChild(time);
      var body = el("span", "line-text");
      if (cue.speaker) body.appendChild(el("span", "line-speaker", cue.speaker + ":"));
      var textNode = el("span", "line-words", cue.text);
      body.appendChild(textNode);
      button.appendChild(body);
      var meta = el("span", "line-meta");
      // The speed label already says what the check's reading-speed
      // violation would, so that one is folded into it.
      var speedRule = scale.unit ? "max-" + scale.unit : null;
      if (cue.reading) {
        var speed = el("span", "line-speed", cue.reading);
        speed.title = "Reading speed" + (cue.speed ? ": " + SPEED_WORDS[cue.speed] : "");
        var folded = cue.rules.indexOf(speedRule);
        if (folded >= 0) {
          speed.className += " line-issue";
          speed.textContent = cue.short[folded];
          speed.title = cue.issues[folded];
        }
        meta.appendChild(speed);
      }
      cue.short.forEach(function (issue, i) {
        if (cue.reading && cue.rules[i] === speedRule) return;
        var chip = el("span", "line-issue", issue);
        chip.title = cue.issues[i] || issue;
        meta.appendChild(chip);
      });
      if (meta.childNodes.length) button.appendChild(meta);
      button.addEventListener("click", function () { seekTo(cue); });
      li.appendChild(button);
      fragment.appendChild(li);
      cue.line = li;
      cue.button = button;
      cue.textNode = textNode;
    });
    list.appendChild(fragment);
    document.getElementById("no-cues").hidden = cues.length > 0;
  }

  function lineInView(li) {
    var top = li.offsetTop;
    return top >= list.scrollTop && top + li.offsetHeight <= list.scrollTop + list.clientHeight;
  }

  function lineTarget(li) {
    return Math.max(0, li.offsetTop - list.clientHeight / 3);
  }

  // Lines out of view are not laid out (content-visibility), so a target
  // computed from their estimated heights can be off once they render:
  // when the scroll ends, look again and put the line in view for good.
  var pending = null;
  var settleTimer = 0;

  function settle(tries) {
    window.clearTimeout(settleTimer);
    if (!pending) return;
    if (tries > 0 && !pending.line.hidden && !lineInView(pending.line)) {
      list.scrollTo({ top: lineTarget(pending.line), behavior: "instant" });
      window.requestAnimationFrame(function () { settle(tries - 1); });
    } else {
      pending = null;
    }
  }

  function scrollIntoList(cue) {
    if (lineInView(cue.line)) return;
    pending = cue;
    list.scrollTop = lineTarget(cue.line);
    window.clearTimeout(settleTimer);
    settleTimer = window.setTimeout(function () { settle(3); }, 1000);
  }

  list.addEventListener("scrollend", function () { settle(3); });

  /* ---- timeline -------------------------------------------------------- */

  function pct(ms) {
    return (Math.min(Math.max(ms, 0), durationMs) / durationMs) * 100 + "%";
  }

  function buildTimeline() {
    bars.textContent = "";
    marks.textContent = "";
    cues.forEach(function (cue) {
      var bar = el("span", "bar speed-" + (cue.speed || "none"));
      bar.dataset.index = String(cue.index);
      bar.title = describe(cue);
      bar.style.left = pct(cue.start);
      bar.style.width = pct(Math.max(cue.end - cue.start, 0));
      bar.addEventListener("click", function (event) {
        event.stopPropagation();
        seekTo(cue);
      });
      bars.appendChild(bar);
      cue.bar = bar;
      if (cue.issues.length) {
        var mark = el("span", "mark");
        mark.dataset.index = String(cue.index);
        mark.title = describe(cue);
        mark.style.left = pct((cue.start + cue.end) / 2);
        marks.appendChild(mark);
      }
    });
    buildTicks();
    markDimmed();
  }

  // Round tick steps in seconds; past a day they keep doubling.
  var TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
    10800, 21600, 43200, 86400];
  var TICK_GAP = 12;  // px of free space between two labels

  /* The ticks under the timeline: the smallest round step whose labels,
   * measured in the page's own font, fit side by side without touching,
   * then the end time. The first label is left-aligned, the last
   * right-aligned and the others centred on their time. */
  function buildTicks() {
    ticks.textContent = "";
    var width = Math.max(bars.clientWidth, 1);
    // The end time has the most digits, so it is the widest label; the
    // others are measured from it (the labels' font has even digits).
    var endText = clock(durationMs);
    var probe = el("span", "tick", endText);
    ticks.appendChild(probe);
    var label = probe.getBoundingClientRect().width || 7 * endText.length;
    ticks.textContent = "";
    var widthOf = function (text) { return (label * text.length) / endText.length; };
    var pxPerSecond = (width * 1000) / durationMs;
    var step = 0;
    for (var i = 0; i < TICK_STEPS.length && !step; i++) {
      if (TICK_STEPS[i] * pxPerSecond >= label + TICK_GAP) step = TICK_STEPS[i];
    }
    if (!step) {
      step = TICK_STEPS[TICK_STEPS.length - 1];
      while (step * pxPerSecond < label + TICK_GAP) step *= 2;
    }
    var first = el("span", "tick", clock(0));
    first.style.left = "0%";
    ticks.appendChild(first);
    var firstRight = widthOf(first.textContent);
    // A centred label must clear the first label and the end label.
    for (var t = step; ; t += step) {
      var text = clock(t * 1000);
      var x = t * pxPerSecond;
      var half = widthOf(text) / 2;
      if (x + half + TICK_GAP > width - label) break;
      if (x - half < firstRight + TICK_GAP) continue;
      var tick = el("span", "tick", text);
      tick.style.left = pct(t * 1000);
      ticks.appendChild(tick);
    }
    if (width >= firstRight + TICK_GAP + label) {
      var end = el("span", "tick", endText);
      end.style.left = "100%";
      ticks.appendChild(end);
    }
  }

  var resizeTimer = 0;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(buildTicks, 150);
  });

  /* Zooming widens the canvas inside the scrolling timeline; positions
   * stay percentages, so nothing else is laid out again but the ticks. */
  function maxZoom() {
    var z = 1;
    while (z < 64 && durationMs / (z * 2) >= 20000) z *= 2;
    return z;
  }

  function setZoom(next) {
    var keep = nowMs();
    zoom = Math.min(Math.max(next, 1), maxZoom());
    canvas.style.width = "calc(" + zoom * 100 + "% - 12px)";
    zoomLevel.textContent = zoom + "\u00d7";
    zoomOut.disabled = zoom <= 1;
    zoomIn.disabled = zoom >= maxZoom();
    buildTicks();
    follow(keep, true);
  }

  function follow(ms, always) {
    if (zoom <= 1) return;
    var x = canvas.offsetLeft + (ms / durationMs) * canvas.clientWidth;
    var left = timeline.scrollLeft;
    if (always || x < left || x > left + timeline.clientWidth) {
      timeline.scrollLeft = Math.max(0, x - timeline.clientWidth / 3);
    }
  }

  zoomIn.addEventListener("click", function () { setZoom(zoom * 2); });
  zoomOut.addEventListener("click", function () { setZoom(zoom / 2); });

  timeline.addEventListener("click", function (event) {
    var box = bars.getBoundingClientRect();
    var ratio = (event.clientX - box.left) / box.width;
    seekMs(Math.round(Math.min(Math.max(ratio, 0), 1) * durationMs));
    sync();
  });

  /* ---- playback -------------------------------------------------------- */

  // Where the page is when the media cannot say (no media, or it failed
  // to load): the transcript and timeline still follow clicks and keys.
  var positionMs = 0;

  function mediaReady() {
    return !!video && video.readyState > 0 && !video.error;
  }

  function nowMs() {
    return mediaReady() ? Math.round(video.currentTime * 1000) : positionMs;
  }

  function seekMs(ms) {
    positionMs = ms;
    if (video && !video.error) video.currentTime = ms / 1000;
    playhead.style.left = pct(ms);
    follow(ms, false);
  }

  function seekTo(cue) {
    seekMs(cue.start);
    setActive([cue]);
  }

  // Cues come in start order (the aligned JSON's order). reachEnd[i] is the
  // latest end among cues 0..i, so the walk back from the last cue that has
  // started stops as soon as no earlier cue can still be showing: a frame
  // costs a binary search plus the cues on screen, not a pass over them all.
  var reachEnd = [];
  cues.reduce(function (far, cue, i) {
    far = Math.max(far, cue.end);
    reachEnd[i] = far;
    return far;
  }, -Infinity);

  function lastStartedAt(ms) {
    var lo = 0;
    var hi = cues.length - 1;
    var found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (cues[mid].start <= ms) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  function cuesAt(ms) {
    var now = [];
    for (var i = lastStartedAt(ms); i >= 0 && reachEnd[i] > ms; i--) {
      if (ms < cues[i].end) now.push(cues[i]);
    }
    return now.reverse();
  }

  function setActive(now) {
    var same = now.length === active.length && now.every(function (c, i) { return c === active[i]; });
    if (same) return;
    active.forEach(function (cue) {
      cue.button.removeAttribute("aria-current");
      cue.bar.classList.remove("is-active");
    });
    active = now;
    active.forEach(function (cue) {
      cue.button.setAttribute("aria-current", "time");
      cue.bar.classList.add("is-active");
    });
    if (active.length && active[0].visible) scrollIntoList(active[0]);
  }

  function sync() {
    var ms = nowMs();
    playhead.style.left = pct(ms);
    setActive(cuesAt(ms));
    follow(ms, false);
  }

  var frame = 0;
  function tick() {
    sync();
    frame = video && !video.paused ? window.requestAnimationFrame(tick) : 0;
  }

  if (video) {
    ["timeupdate", "seeked", "seeking", "loadedmetadata"].forEach(function (name) {
      video.addEventListener(name, sync);
    });
    video.addEventListener("play", function () {
      if (!frame) frame = window.requestAnimationFrame(tick);
    });
    video.addEventListener("loadedmetadata", function () {
      var media = video.duration * 1000;
      if (isFinite(media) && media > durationMs) {
        durationMs = media;
        buildTimeline();
        setZoom(zoom);
        sync();
      }
    });
    video.addEventListener("error", function () {
      var code = video.error ? video.error.code : 0;
      var why = code === 4
        ? "the browser cannot play it or cannot reach it"
        : "it could not be loaded";
      mediaStatus.textContent = "The media did not load: " + why +
        ". The transcript and timeline still work; pass --video with a local copy to watch it.";
    });
  }

  /* ---- search ---------------------------------------------------------- */

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function highlight(cue, pattern) {
    var node = cue.textNode;
    node.textContent = "";
    if (!pattern) {
      node.textContent = cue.text;
      return true;
    }
    pattern.lastIndex = 0;
    var at = 0;
    var found = false;
    var match;
    while ((match = pattern.exec(cue.text)) !== null) {
      if (match[0] === "") { pattern.lastIndex++; continue; }
      found = true;
      node.appendChild(document.createTextNode(cue.text.slice(at, match.index)));
      node.appendChild(el("mark", null, match[0]));
      at = match.index + match[0].length;
    }
    node.appendChild(document.createTextNode(cue.text.slice(at)));
    return found || (cue.speaker != null && pattern.test(cue.speaker));
  }

  function markDimmed() {
    var filtering = search.value.trim() !== "";
    cues.forEach(function (cue) {
      if (cue.bar) cue.bar.classList.toggle("is-dim", filtering && !cue.visible);
    });
  }

  function applySearch() {
    var query = search.value.trim();
    var pattern = query ? new RegExp(escapeRegExp(query), "giu") : null;
    var shown = 0;
    cues.forEach(function (cue) {
      cue.visible = highlight(cue, pattern);
      cue.line.hidden = !cue.visible;
      if (cue.visible) shown++;
    });
    markDimmed();
    if (!query) {
      searchStatus.textContent = cues.length + (cues.length === 1 ? " cue" : " cues");
    } else {
      searchStatus.textContent = shown + " of " + cues.length + " cues match \u201c" + query + "\u201d";
    }
  }

  search.addEventListener("input", applySearch);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && search.value) {
      search.value = "";
      applySearch();
      event.preventDefault();
    }
  });

  /* ---- keyboard -------------------------------------------------------- */

  function isTyping(target) {
    if (!target || !target.tagName) return false;
    if (target.isContentEditable) return true;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  function neighbour(step) {
    var pool = cues.filter(function (cue) { return cue.visible; });
    if (!pool.length) return null;
    var ms = nowMs();
    var current = -1;
    for (var i = 0; i < pool.length; i++) {
      if (pool[i].start <= ms) current = i;
    }
    var next = current + step;
    if (current === -1 && step < 0) next = 0;
    return pool[Math.min(Math.max(next, 0), pool.length - 1)];
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (isTyping(event.target)) return;
    var key = event.key;
    if (key === " " || key === "Spacebar") {
      // The player's own controls toggle on keyup when it has focus;
      // acting here too would undo that.
      if (!video || event.target === video) return;
      event.preventDefault();
      if (video.paused) {
        var played = video.play();
        if (played && played.catch) played.catch(function () {});
      } else {
        video.pause();
      }
    } else if (key === "ArrowLeft" || key === "ArrowUp" || key === "ArrowRight" || key === "ArrowDown") {
      var cue = neighbour(key === "ArrowLeft" || key === "ArrowUp" ? -1 : 1);
      if (!cue) return;
      event.preventDefault();
      var inList = list.contains(document.activeElement);
      seekTo(cue);
      if (inList) cue.button.focus({ preventScroll: true });
      scrollIntoList(cue);
    } else if (key === "/") {
      event.preventDefault();
      search.focus();
      search.select();
    }
  });

  buildLines();
  buildTimeline();
  setZoom(1);
  applySearch();
  sync();
  document.documentElement.dataset.ready = "true";
})();

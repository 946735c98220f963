// Progressive enhancement only: every page works without this file.
// Theme toggle (remembered), local times, j/k story navigation, "/" to search.
(function () {
  'use strict';
  var root = document.documentElement;
  var saved = null;
  try { saved = localStorage.getItem('newsdesk-theme'); } catch (e) { /* storage may be blocked */ }
  if (saved === 'light' || saved === 'dark') root.setAttribute('data-theme', saved);

  function ready(fn) {
    if (document.readyState !== 'loading') fn(); else document.addEventListener('DOMContentLoaded', fn);
  }

  ready(function () {
    var toggle = document.querySelector('.theme-toggle');
    if (toggle) {
      toggle.hidden = false;
      var label = function () {
        var dark = root.getAttribute('data-theme') === 'dark' ||
          (!root.getAttribute('data-theme') && window.matchMedia('(prefers-color-scheme: dark)').matches);
        toggle.textContent = dark ? 'Light theme' : 'Dark theme';
        toggle.setAttribute('aria-pressed', dark ? 'true' : 'false');
        return dark;
      };
      label();
      toggle.addEventListener('click', function () {
        var next = label() ? 'light' : 'dark';
        root.setAttribute('data-theme', next);
        try { localStorage.setItem('newsdesk-theme', next); } catch (e) { /* ignore */ }
        label();
      });
    }

    var fmt;
    try { fmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }); } catch (e) { fmt = null; }
    if (fmt) {
      document.querySelectorAll('time[data-local]').forEach(function (el) {
        var d = new Date(el.getAttribute('datetime'));
        if (!isNaN(d.getTime())) { el.title = el.textContent; el.textContent = fmt.format(d); }
      });
    }

    var stories = Array.prototype.slice.call(document.querySelectorAll('article.story'));
    var current = -1;
    function focusStory(i) {
      if (!stories.length) return;
      current = Math.max(0, Math.min(stories.length - 1, i));
      var el = stories[current];
      el.setAttribute('tabindex', '-1');
      el.focus();
      el.scrollIntoView({ block: 'nearest' });
    }
    document.addEventListener('keydown', function (ev) {
      var t = ev.target;
      if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return;
      if (ev.key === 'j') { focusStory(current + 1); ev.preventDefault(); }
      else if (ev.key === 'k') { focusStory(current - 1); ev.preventDefault(); }
      else if (ev.key === 'o' || ev.key === 'Enter') {
        if (current >= 0 && document.activeElement === stories[current]) {
          var link = stories[current].querySelector('h3 a, h2 a');
          if (link) { link.click(); ev.preventDefault(); }
        }
      } else if (ev.key === '/') {
        var search = document.querySelector('input[type="search"]');
        if (search) { search.focus(); ev.preventDefault(); }
      }
    });

    // Desk: ask before destructive actions.
    document.querySelectorAll('form[data-confirm]').forEach(function (form) {
      form.addEventListener('submit', function (ev) {
        if (!window.confirm(form.getAttribute('data-confirm'))) ev.preventDefault();
      });
    });
  });
})();

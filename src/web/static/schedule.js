// The schedule builder, when JavaScript is on: drag a slot (SortableJS) to another place or day,
// and see conflicts while editing a slot. Everything here also works without it, by plain forms.
'use strict';
(function () {
  var root = document.getElementById('schedule');
  if (!root) return;
  var csrf = root.getAttribute('data-csrf');
  var base = root.getAttribute('data-base');

  function post(url, fields) {
    var body = new URLSearchParams(fields);
    body.set('_csrf', csrf);
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: body.toString(),
    }).then(function (res) {
      return res.json().then(function (data) {
        if (!res.ok) {
          var err = new Error(data.message || res.statusText);
          // Where the server says to go instead (the builder, with its notice of why).
          err.next = data.next;
          throw err;
        }
        return data;
      });
    });
  }

  // Where a slot was dropped, as the server takes it: right after the slot above it, or at the top
  // of a day right before the slot below it, or into a day without slots. The server works out
  // the start from its own schedule, in time that passes (a day's clocks may change that night):
  // where the slot above ends; at the top of a day, so that it ends where the slot below starts
  // (not before the day's start); in an empty day, at the day's start.
  function placeOfDrop(row) {
    var fields = { date: row.parentNode.getAttribute('data-date') };
    var prev = row.previousElementSibling;
    while (prev && !prev.hasAttribute('data-slot-id')) prev = prev.previousElementSibling;
    if (prev) {
      fields.afterSlotId = prev.getAttribute('data-slot-id');
      return fields;
    }
    var next = row.nextElementSibling;
    while (next && !next.hasAttribute('data-slot-id')) next = next.nextElementSibling;
    if (next) fields.beforeSlotId = next.getAttribute('data-slot-id');
    return fields;
  }

  if (window.Sortable) {
    var lists = root.querySelectorAll('tbody.slots');
    for (var i = 0; i < lists.length; i++) {
      window.Sortable.create(lists[i], {
        group: 'slots',
        handle: '.handle',
        draggable: 'tr[data-slot-id]',
        animation: 120,
        // Mouse and touch events rather than native drag and drop: the same in every browser.
        forceFallback: true,
        onEnd: function (evt) {
          if (evt.from === evt.to && evt.oldIndex === evt.newIndex) return;
          var row = evt.item;
          var id = row.getAttribute('data-slot-id');
          root.setAttribute('aria-busy', 'true');
          post(base + '/slots/' + id + '/move', placeOfDrop(row))
            .then(function (data) {
              // The server says where to go: the builder with its (signed) notice of the move.
              window.location.assign(data.next);
            })
            .catch(function (err) {
              // A slot removed meanwhile: the builder says so, as it does after the row's form.
              if (err.next) return window.location.assign(err.next);
              window.alert('The slot was not moved: ' + err.message);
              window.location.reload();
            });
        },
      });
    }
    // The handles are made here, not in the page: a text browser has nothing to drag with.
    var rows = root.querySelectorAll('tr[data-slot-id] td.time');
    for (var h = 0; h < rows.length; h++) {
      var handle = document.createElement('span');
      handle.className = 'handle active';
      handle.setAttribute('aria-hidden', 'true');
      handle.title = 'Drag to move';
      handle.textContent = '\u21c5';
      rows[h].insertBefore(document.createTextNode(' '), rows[h].firstChild);
      rows[h].insertBefore(handle, rows[h].firstChild);
    }
  }

  // Conflicts of the slot being edited, while one types; nothing is saved until the form is sent.
  var form = document.getElementById('slot-editor');
  var out = document.getElementById('live-conflicts');
  if (!form || !out) return;
  var timer = null;
  function preview() {
    var fields = new URLSearchParams(new FormData(form));
    fields.set('slotId', form.getAttribute('data-slot-id') || '');
    post(base + '/preview', fields)
      .then(function (data) {
        out.textContent = '';
        var list = data.conflicts || [];
        if (data.fields) {
          var p = document.createElement('p');
          p.className = 'muted';
          p.textContent = 'Not complete yet: ' + Object.values(data.fields).join('; ');
          out.appendChild(p);
          return;
        }
        var head = document.createElement('p');
        head.textContent = list.length ? 'Saving this would give ' + list.length + ' conflict' + (list.length === 1 ? '' : 's') + ':' : 'No conflicts with the rest of the schedule.';
        head.className = list.length ? 'error-text' : 'ok';
        out.appendChild(head);
        if (list.length) {
          var ul = document.createElement('ul');
          list.forEach(function (c) {
            var li = document.createElement('li');
            li.textContent = c.message;
            ul.appendChild(li);
          });
          out.appendChild(ul);
        }
      })
      .catch(function () {});
  }
  form.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(preview, 300);
  });
  form.addEventListener('change', function () {
    clearTimeout(timer);
    timer = setTimeout(preview, 50);
  });
})();

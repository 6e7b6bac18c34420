// Upload page: each file goes in its own request, so each gets its own progress bar and its own error. Files above
// data-resumable-above go by tus 1.0 (/api/v1/tus/) in chunks of data-chunk bytes: a lost connection is retried
// from the server's offset, the upload can be paused, and choosing the same file again after a reload continues it
// (its upload URL is kept in localStorage under the file's name, size and date).
(function () {
  'use strict';
  var form = document.getElementById('upload-form');
  var input = document.getElementById('files');
  var drop = document.getElementById('drop');
  var results = document.getElementById('results');
  var expiry = document.getElementById('expiry');
  var maxSize = Number(form.getAttribute('data-max-size'));
  var resumableAbove = Number(form.getAttribute('data-resumable-above'));
  var chunk = Number(form.getAttribute('data-chunk'));
  var RETRY_DELAYS = [1000, 3000, 5000, 10000, 20000];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function human(bytes) {
    var units = ['B', 'KiB', 'MiB', 'GiB'];
    var i = 0;
    while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i++; }
    return (i === 0 ? bytes : bytes.toFixed(1)) + ' ' + units[i];
  }

  function fail(row, text) {
    row.classList.add('failed');
    row.querySelector('.status').textContent = text;
  }

  function done(row, file) {
    row.classList.add('done');
    var status = row.querySelector('.status');
    status.textContent = '';
    var link = el('a', 'url', file.url);
    link.href = file.url;
    link.target = '_blank';
    link.rel = 'noopener';
    var copy = el('button', 'copy', 'Copy');
    copy.type = 'button';
    copy.addEventListener('click', function () {
      navigator.clipboard.writeText(file.url).then(function () { copy.textContent = 'Copied'; });
    });
    var del = el('a', 'delete', 'deletion link');
    del.href = file.delete_url;
    del.title = 'Keep this link private: it deletes the file';
    status.appendChild(link);
    status.appendChild(copy);
    status.appendChild(del);
  }

  // The Pomf JSON that ends an upload (a form post, or the last tus request): its link, or its refusal.
  function answered(row, bar, xhr) {
    bar.value = 100;
    var body;
    try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
    if (body && body.success) {
      done(row, body.files[0]);
    } else {
      fail(row, body && body.description ? body.description : 'Upload failed (HTTP ' + xhr.status + ').');
    }
  }

  function upload(file) {
    var row = el('li', 'result');
    row.appendChild(el('span', 'name', file.name + ' (' + human(file.size) + ')'));
    var bar = el('progress');
    bar.max = 100;
    bar.value = 0;
    row.appendChild(bar);
    row.appendChild(el('span', 'status', 'waiting'));
    results.appendChild(row);
    if (file.size > maxSize) {
      fail(row, 'Too large: the limit is ' + human(maxSize) + '.');
      return;
    }
    if (file.size > resumableAbove && window.localStorage) {
      resumable(file, row, bar);
      return;
    }
    var data = new FormData();
    data.append('files[]', file, file.name);
    if (expiry && expiry.value) { data.append('expiry', expiry.value); }
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/upload.php?output=json');
    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) {
        bar.value = Math.round(e.loaded * 100 / e.total);
        row.querySelector('.status').textContent = human(e.loaded) + ' of ' + human(e.total);
      }
    });
    xhr.addEventListener('load', function () { answered(row, bar, xhr); });
    xhr.addEventListener('error', function () { fail(row, 'Network error: the upload did not complete.'); });
    xhr.send(data);
  }

  function b64(text) {
    return btoa(unescape(encodeURIComponent(text)));
  }

  // One tus request; calls back with the XHR whatever its status (0: no answer).
  function tus(method, url, headers, body, progress, callback) {
    var xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.setRequestHeader('Tus-Resumable', '1.0.0');
    Object.keys(headers).forEach(function (k) { xhr.setRequestHeader(k, headers[k]); });
    if (progress) { xhr.upload.addEventListener('progress', progress); }
    xhr.addEventListener('load', function () { callback(xhr); });
    xhr.addEventListener('error', function () { callback(xhr); });
    xhr.addEventListener('abort', function () { callback(xhr); });
    xhr.send(body);
    return xhr;
  }

  function resumable(file, row, bar) {
    var key = 'pomf-tus:' + file.name + ':' + file.size + ':' + file.lastModified;
    var status = row.querySelector('.status');
    var url = localStorage.getItem(key);
    var offset = 0;
    var attempt = 0;
    var paused = false;
    var current = null;
    var toggle = el('button', 'pause', 'Pause');
    toggle.type = 'button';
    row.classList.add('resumable');
    row.appendChild(toggle);
    toggle.addEventListener('click', function () {
      paused = !paused;
      toggle.textContent = paused ? 'Resume' : 'Pause';
      if (paused) {
        if (current) { current.abort(); }
        status.textContent = 'paused at ' + human(offset) + ' of ' + human(file.size);
      } else {
        locate();
      }
    });

    function noToggle() {
      toggle.remove();
      row.classList.remove('resumable');
    }

    function show() {
      bar.value = Math.round(offset * 100 / file.size);
      status.textContent = human(offset) + ' of ' + human(file.size);
    }

    function retry(why) {
      if (paused) { return; }
      if (attempt >= RETRY_DELAYS.length) {
        fail(row, why + ' Choose the file again to continue where it stopped.');
        noToggle();
        return;
      }
      status.textContent = why + ' Retrying…';
      setTimeout(locate, RETRY_DELAYS[attempt++]);
    }

    function finished(xhr) {
      localStorage.removeItem(key);
      noToggle();
      answered(row, bar, xhr);
    }

    // Where the server is: a kept upload's offset, or a new upload.
    function locate() {
      if (paused) { return; }
      if (!url) { create(); return; }
      current = tus('HEAD', url, {}, null, null, function (xhr) {
        if (xhr.status === 200) {
          offset = Number(xhr.getResponseHeader('Upload-Offset'));
          if (offset > 0 && attempt === 0) { row.classList.add('resumed'); }
          show();
          send();
        } else if (xhr.status === 404 || xhr.status === 410) {
          localStorage.removeItem(key); // finished, deleted or expired: start again
          url = null;
          offset = 0;
          create();
        } else {
          retry('The server did not answer (HTTP ' + xhr.status + ').');
        }
      });
    }

    function create() {
      var meta = 'filename ' + b64(file.name);
      if (expiry && expiry.value) { meta += ',expiry ' + b64(expiry.value); }
      current = tus('POST', '/api/v1/tus/', {'Upload-Length': String(file.size), 'Upload-Metadata': meta}, null, null,
        function (xhr) {
          if (xhr.status === 201) {
            url = xhr.getResponseHeader('Location');
            localStorage.setItem(key, url);
            offset = 0;
            send();
          } else if (xhr.status >= 400 && xhr.status < 500 && xhr.status !== 429) {
            noToggle();
            fail(row, (xhr.responseText || 'Refused').trim() + ' (HTTP ' + xhr.status + ')');
          } else {
            retry('The upload could not start (HTTP ' + xhr.status + ').');
          }
        });
    }

    function send() {
      if (paused) { return; }
      var end = Math.min(file.size, offset + chunk);
      var started = offset;
      current = tus('PATCH', url, {'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream'},
        file.slice(offset, end), function (e) {
          bar.value = Math.round((started + e.loaded) * 100 / file.size);
          status.textContent = human(started + e.loaded) + ' of ' + human(file.size);
        }, function (xhr) {
          if (xhr.status === 200) {
            finished(xhr);
          } else if (xhr.status === 204) {
            attempt = 0;
            offset = Number(xhr.getResponseHeader('Upload-Offset'));
            show();
            send();
          } else if (xhr.status === 409 || xhr.status === 423 || xhr.status === 0 || xhr.status >= 500) {
            retry(xhr.status === 0 ? 'The connection was lost.' : 'The server asked to wait.');
          } else {
            localStorage.removeItem(key);
            noToggle();
            fail(row, (xhr.responseText || 'Refused').trim() + ' (HTTP ' + xhr.status + ')');
          }
        });
    }

    status.textContent = url ? 'resuming…' : 'starting…';
    locate();
  }

  function uploadAll(files) {
    for (var i = 0; i < files.length; i++) { upload(files[i]); }
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    uploadAll(input.files);
    input.value = '';
  });
  input.addEventListener('change', function () {
    uploadAll(input.files);
    input.value = '';
  });
  ['dragenter', 'dragover'].forEach(function (type) {
    drop.addEventListener(type, function (e) { e.preventDefault(); drop.classList.add('over'); });
  });
  ['dragleave', 'drop'].forEach(function (type) {
    drop.addEventListener(type, function () { drop.classList.remove('over'); });
  });
  drop.addEventListener('drop', function (e) {
    e.preventDefault();
    uploadAll(e.dataTransfer.files);
  });
  document.getElementById('send').classList.add('js-hidden');
}());

// Upload page: each file goes in its own request, so each gets its own progress bar and its own error.
(function () {
  'use strict';
  var form = document.getElementById('upload-form');
  var input = document.getElementById('files');
  var drop = document.getElementById('drop');
  var results = document.getElementById('results');
  var expiry = document.getElementById('expiry');
  var maxSize = Number(form.getAttribute('data-max-size'));

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
    xhr.addEventListener('load', function () {
      bar.value = 100;
      var body;
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
      if (body && body.success) {
        done(row, body.files[0]);
      } else {
        fail(row, body && body.description ? body.description : 'Upload failed (HTTP ' + xhr.status + ').');
      }
    });
    xhr.addEventListener('error', function () { fail(row, 'Network error: the upload did not complete.'); });
    xhr.send(data);
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

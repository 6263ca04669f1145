/*! idverify sign-up flow — vanilla JS, no dependencies, CSP-safe (no eval, no inline styles).
 *
 *   const flow = IdVerify.mount('#signup', { publishableKey: 'pk_…', locale: 'fr' });
 *   flow.setOnComplete((data) => { data.account, data.person, data.ocr });
 *
 * Steps: account → document type → capture (front, back for ID cards, selfie) → upload, submit
 * and poll the status → retake / declined screens when needed → personal details prefilled from
 * the document → completion, which calls the callback. See docs/integration.md.
 */
(function (global) {
  'use strict';

  var MAX_SIDE = 1600;
  var JPEG_QUALITY = 0.9;
  var POLL_MS = 1000;
  var POLL_SLOW_MS = 90000;
  var LOCALES = ['en', 'fr'];
  // Concern codes (docs/concerns.md) that a new photo can fix, for a service that does not say
  // so itself (its status call gives each concern `retake` and `next`).
  var RETAKE_CONCERN = /^DC0(01|02|03|04|20|21|22|30|31|32|33)$/;
  // After this many retakes for the same concern the person may go on to a person's review
  // instead of being asked again.
  var MAX_RETAKES = 2;

  var script = document.currentScript;
  var scriptBase = script && script.src ? new URL('..', script.src).href.replace(/\/$/, '') : '';
  var uid = 0;

  // ---- small DOM helpers: elements built with textContent, never innerHTML ----

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === undefined || v === null || v === false) return;
        if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = v;
        else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
        else if (k === 'value' || k === 'checked') el[k] = v;
        else el.setAttribute(k, v === true ? '' : v);
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return el;
  }

  function nextId(prefix) {
    uid += 1;
    return 'idv-' + prefix + '-' + uid;
  }

  function ensureStylesheet(base) {
    var href = base + '/flow/signup.css';
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      if (links[i].href === href || links[i].getAttribute('data-idverify') !== null) return;
    }
    document.head.appendChild(h('link', { rel: 'stylesheet', href: href, 'data-idverify': '' }));
  }

  function loadLocale(base, locale) {
    var wanted = LOCALES.indexOf(locale) >= 0 ? locale : 'en';
    var get = function (name) {
      return fetch(base + '/flow/locales/' + name + '.json').then(function (r) {
        if (!r.ok) throw new Error('locale ' + name + ': HTTP ' + r.status);
        return r.json();
      });
    };
    var en = get('en');
    var chosen = wanted === 'en' ? en : get(wanted).catch(function () { return {}; });
    return Promise.all([en, chosen]).then(function (both) {
      return { lang: wanted, dict: Object.assign({}, both[0], both[1]) };
    });
  }

  // ---- images: decode, downscale (long side ≤ MAX_SIDE), re-encode as JPEG ----

  function decode(blob) {
    if (global.createImageBitmap) {
      return createImageBitmap(blob, { imageOrientation: 'from-image' }).catch(function () {
        return createImageBitmap(blob);
      });
    }
    return Promise.reject(new Error('no image decoder'));
  }

  function toJpeg(source, width, height) {
    var scale = Math.min(1, MAX_SIDE / Math.max(width, height));
    var canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    var ctx = canvas.getContext('2d');
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
    return new Promise(function (resolve, reject) {
      canvas.toBlob(function (b) {
        if (b) resolve({ blob: b, width: canvas.width, height: canvas.height });
        else reject(new Error('JPEG encoding failed'));
      }, 'image/jpeg', JPEG_QUALITY);
    });
  }

  function fileToJpeg(file) {
    return decode(file).then(function (bmp) {
      return toJpeg(bmp, bmp.width, bmp.height).then(function (out) {
        if (bmp.close) bmp.close();
        return out;
      });
    });
  }

  // Files the service reads but a browser may not decode (HEIC on Chromium, TIFF, PDF scans):
  // recognised from their first bytes, as the service does, and sent as they are. The service
  // applies the same limits to them as to every upload.
  function sniffAsIs(file) {
    if (!file.slice || !global.Response) return Promise.resolve(null);
    return new Response(file.slice(0, 1024)).arrayBuffer().then(function (buf) {
      var b = new Uint8Array(buf);
      var at = function (i, text) {
        for (var k = 0; k < text.length; k++) if (b[i + k] !== text.charCodeAt(k)) return false;
        return true;
      };
      if (at(4, 'ftyp')) return 'image/heic';
      if (at(0, 'II*\0') || at(0, 'MM\0*') || at(0, 'II+\0') || at(0, 'MM\0+')) return 'image/tiff';
      if (at(0, 'BM')) return 'image/bmp';
      for (var i = 0; i + 5 <= b.length; i++) if (at(i, '%PDF-')) return 'application/pdf';
      return null;
    }, function () { return null; });
  }

  // A chosen file: downscaled to a JPEG where the browser decodes it, else sent as it is when
  // the service reads its format.
  function prepareFile(file) {
    return fileToJpeg(file).catch(function (err) {
      return sniffAsIs(file).then(function (type) {
        if (!type) throw err;
        return { blob: file, asIs: type, name: file.name || '' };
      });
    });
  }

  // ---- HTTP ----

  function HttpError(status, body, network) {
    this.status = status;
    this.body = body;
    this.network = !!network;
    this.message = network ? 'network error' : 'HTTP ' + status;
  }

  function parseBody(text) {
    try { return JSON.parse(text); } catch (e) { return null; }
  }

  function api(base, method, path, headers, body) {
    return fetch(base + path, { method: method, headers: headers, body: body, credentials: 'omit' })
      .catch(function () { throw new HttpError(0, null, true); })
      .then(function (r) {
        return r.text().then(function (t) {
          var json = parseBody(t);
          if (r.status >= 200 && r.status < 300) return json;
          throw new HttpError(r.status, json, false);
        }, function () { throw new HttpError(0, null, true); });
      });
  }

  function uploadFile(base, v, kind, blob, onProgress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open('POST', base + '/verifications/' + v.id + '/files');
      xhr.setRequestHeader('Authorization', 'Bearer ' + v.token);
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      xhr.onload = function () {
        var json = parseBody(xhr.responseText);
        if (xhr.status >= 200 && xhr.status < 300) resolve(json);
        else reject(new HttpError(xhr.status, json, false));
      };
      xhr.onerror = function () { reject(new HttpError(0, null, true)); };
      xhr.ontimeout = xhr.onerror;
      var fd = new FormData();
      fd.append('kind', kind);
      fd.append('file', blob, kind + '.jpg');
      xhr.send(fd);
    });
  }

  function sleep(ms) {
    return new Promise(function (r) { setTimeout(r, ms); });
  }

  // ---- the flow ----

  function Flow(root, options) {
    this.root = root;
    this.base = (options.baseUrl || scriptBase || global.location.origin).replace(/\/$/, '');
    this.key = options.publishableKey;
    this.onComplete = null;
    this.t = function (k) { return k; };
    this.state = {
      step: 'account',
      email: '', password: '', consent: false,
      docType: '',
      images: {},        // kind → {blob, url}
      uploaded: {},      // kind → true once the current verification holds it
      verification: null, // {id, token, resultUrl}
      submitted: false,
      status: null,      // last status answer
      person: null,
      errors: {}
    };
    this.stream = null;
    this.busy = false;
    this.pendingAction = null;
  }

  Flow.prototype.start = function (locale) {
    var self = this;
    ensureStylesheet(this.base);
    this.root.classList.add('idv');
    this.root.setAttribute('data-idv-step', 'loading');
    global.addEventListener('offline', function () { self.setOffline(true); });
    global.addEventListener('online', function () {
      self.setOffline(false);
      if (self.pendingAction) {
        var act = self.pendingAction;
        self.pendingAction = null;
        act();
      }
    });
    return loadLocale(this.base, locale).then(function (loc) {
      self.t = function (k, vars) {
        var s = Object.prototype.hasOwnProperty.call(loc.dict, k) ? loc.dict[k] : k;
        if (vars) Object.keys(vars).forEach(function (n) { s = s.split('{' + n + '}').join(vars[n]); });
        return s;
      };
      self.root.setAttribute('lang', loc.lang);
      self.render();
    }, function () {
      self.root.textContent = 'The sign-up form could not be loaded. Check your connection and reload the page.';
    });
  };

  Flow.prototype.kinds = function () {
    return this.state.docType === 'id-card' ? ['front', 'back', 'selfie'] : ['front', 'selfie'];
  };

  Flow.prototype.steps = function () {
    var list = ['account', 'doctype'];
    this.kinds().forEach(function (k) { list.push('capture-' + k); });
    return list.concat(['send', 'details']);
  };

  Flow.prototype.go = function (step) {
    this.stopCamera();
    this.state.step = step;
    this.state.errors = {};
    this.render();
  };

  Flow.prototype.setOffline = function (off) {
    if (!this.offlineEl) return;
    this.offlineEl.hidden = !off;
    this.offlineEl.textContent = off ? this.t('offline') : '';
  };

  Flow.prototype.render = function () {
    var s = this.state;
    var t = this.t;
    this.root.textContent = '';
    this.root.setAttribute('data-idv-step', s.step);
    this.offlineEl = h('p', { class: 'idv-offline', role: 'alert', hidden: true });
    var body;
    var step = s.step;
    if (step === 'account') body = this.renderAccount();
    else if (step === 'doctype') body = this.renderDocType();
    else if (step.indexOf('capture-') === 0) body = this.renderCapture(step.slice(8));
    else if (step === 'send') body = this.renderSend();
    else if (step === 'retake') body = this.renderRetake();
    else if (step === 'declined') body = this.renderDeclined();
    else if (step === 'details') body = this.renderDetails();
    else body = this.renderDone();
    var steps = this.steps();
    var idx = steps.indexOf(step === 'retake' || step === 'declined' ? 'send' : step);
    var progress = idx >= 0 && step !== 'done'
      ? h('p', { class: 'idv-stepof', text: t('stepOf', { n: idx + 1, total: steps.length }) })
      : null;
    this.root.appendChild(h('div', { class: 'idv-card' }, [progress, this.offlineEl, body]));
    this.setOffline(global.navigator.onLine === false);
    var heading = this.root.querySelector('h2');
    if (heading && !this.root.querySelector('[data-idv-autofocus]')) heading.focus();
    var auto = this.root.querySelector('[data-idv-autofocus]');
    if (auto) auto.focus();
  };

  Flow.prototype.heading = function (text) {
    return h('h2', { class: 'idv-h', tabindex: '-1', text: text });
  };

  // A labelled input with its hint and error message wired through aria-describedby.
  Flow.prototype.field = function (name, label, attrs, hint) {
    var id = nextId(name);
    var err = this.state.errors[name];
    var describedBy = [];
    var hintEl = null;
    var errEl = null;
    if (hint) {
      hintEl = h('p', { id: id + '-hint', class: 'idv-hint', text: hint });
      describedBy.push(id + '-hint');
    }
    if (err) {
      errEl = h('p', { id: id + '-err', class: 'idv-error', text: err });
      describedBy.push(id + '-err');
    }
    var input = h('input', Object.assign({
      id: id, name: name, class: 'idv-input',
      'aria-describedby': describedBy.length ? describedBy.join(' ') : null,
      'aria-invalid': err ? 'true' : null
    }, attrs));
    return { input: input, el: h('div', { class: 'idv-field' + (err ? ' idv-has-error' : '') }, [
      h('label', { for: id, class: 'idv-label', text: label }), hintEl, errEl, input
    ]) };
  };

  Flow.prototype.form = function (children, onSubmit) {
    return h('form', { class: 'idv-form', novalidate: true, onsubmit: function (e) {
      e.preventDefault();
      onSubmit();
    } }, children);
  };

  Flow.prototype.focusFirstError = function () {
    var bad = this.root.querySelector('[aria-invalid="true"]');
    if (bad) bad.focus();
  };

  Flow.prototype.renderAccount = function () {
    var self = this;
    var s = this.state;
    var t = this.t;
    var email = this.field('email', t('account.email'), {
      type: 'email', autocomplete: 'email', required: true, value: s.email, inputmode: 'email'
    });
    var pw = this.field('password', t('account.password'), {
      type: 'password', autocomplete: 'new-password', required: true, minlength: '8', value: s.password
    }, t('account.passwordHint'));
    var consentId = nextId('consent');
    var consentErr = s.errors.consent;
    var consent = h('input', {
      type: 'checkbox', id: consentId, name: 'consent', checked: s.consent, class: 'idv-check',
      'aria-invalid': consentErr ? 'true' : null,
      'aria-describedby': consentErr ? consentId + '-err' : null
    });
    return this.form([
      this.heading(t('account.heading')),
      email.el, pw.el,
      h('div', { class: 'idv-field idv-consent' + (consentErr ? ' idv-has-error' : '') }, [
        consentErr ? h('p', { id: consentId + '-err', class: 'idv-error', text: consentErr }) : null,
        h('div', { class: 'idv-checkrow' }, [consent, h('label', { for: consentId, text: t('account.consent') })])
      ]),
      h('div', { class: 'idv-actions' }, [h('button', { type: 'submit', class: 'idv-btn idv-primary', text: t('continue') })])
    ], function () {
      s.email = email.input.value.trim();
      s.password = pw.input.value;
      s.consent = consent.checked;
      var errors = {};
      if (!s.email) errors.email = t('required');
      else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.email)) errors.email = t('account.emailInvalid');
      if (s.password.length < 8) errors.password = t('account.passwordShort');
      if (!s.consent) errors.consent = t('account.consentMissing');
      if (Object.keys(errors).length) {
        s.errors = errors;
        self.render();
        self.focusFirstError();
        return;
      }
      self.go('doctype');
    });
  };

  Flow.prototype.renderDocType = function () {
    var self = this;
    var s = this.state;
    var t = this.t;
    var err = s.errors.docType;
    var legendId = nextId('legend');
    var option = function (value, label, hint) {
      var id = nextId('doc');
      return h('div', { class: 'idv-radio' }, [
        h('input', { type: 'radio', name: 'docType', id: id, value: value, checked: s.docType === value,
          'aria-describedby': id + '-hint' }),
        h('label', { for: id }, [h('span', { class: 'idv-radio-label', text: label }),
          h('span', { id: id + '-hint', class: 'idv-hint', text: hint })])
      ]);
    };
    var fieldset = h('fieldset', { class: 'idv-fieldset', 'aria-describedby': err ? legendId + '-err' : null }, [
      h('legend', { id: legendId, class: 'idv-label', text: t('doctype.legend') }),
      err ? h('p', { id: legendId + '-err', class: 'idv-error', text: err }) : null,
      option('passport', t('doctype.passport'), t('doctype.passportHint')),
      option('id-card', t('doctype.idCard'), t('doctype.idCardHint'))
    ]);
    return this.form([
      this.heading(t('doctype.heading')),
      fieldset,
      h('div', { class: 'idv-actions' }, [
        h('button', { type: 'button', class: 'idv-btn', text: t('back'), onclick: function () { self.go('account'); } }),
        h('button', { type: 'submit', class: 'idv-btn idv-primary', text: t('continue') })
      ])
    ], function () {
      var checked = fieldset.querySelector('input:checked');
      if (!checked) {
        s.errors = { docType: t('doctype.missing') };
        self.render();
        var first = self.root.querySelector('input[type=radio]');
        if (first) first.focus();
        return;
      }
      if (s.docType !== checked.value) {
        // A different document: earlier photos of the other type no longer apply.
        delete s.images.front;
        delete s.images.back;
      }
      s.docType = checked.value;
      self.go('capture-front');
    });
  };

  Flow.prototype.stopCamera = function () {
    if (this.stream) {
      this.stream.getTracks().forEach(function (tr) { tr.stop(); });
      this.stream = null;
    }
  };

  Flow.prototype.setImage = function (kind, blob, asIs) {
    var old = this.state.images[kind];
    if (old && old.url) URL.revokeObjectURL(old.url);
    // A file sent as it is has no preview the browser can draw: its name is shown instead.
    this.state.images[kind] = asIs
      ? { blob: blob, asIs: asIs.asIs, name: asIs.name }
      : { blob: blob, url: URL.createObjectURL(blob) };
    // A new photo means the current verification no longer matches what was taken.
    this.state.uploaded = {};
    this.state.verification = null;
    this.state.submitted = false;
  };

  Flow.prototype.renderCapture = function (kind) {
    var self = this;
    var s = this.state;
    var t = this.t;
    var kinds = this.kinds();
    var pos = kinds.indexOf(kind);
    var prevStep = pos > 0 ? 'capture-' + kinds[pos - 1] : 'doctype';
    var nextStep = pos < kinds.length - 1 ? 'capture-' + kinds[pos + 1] : 'send';
    var headingKey = kind === 'front' && s.docType === 'passport' ? 'capture.front.passport.heading' : 'capture.' + kind + '.heading';
    var status = h('p', { class: 'idv-status', role: 'status', 'aria-live': 'polite' });
    var errorEl = h('p', { class: 'idv-error', role: 'alert' });
    var showError = function (msg) { errorEl.textContent = msg; };
    var current = s.images[kind];
    var children = [this.heading(t(headingKey)), h('p', { class: 'idv-help', text: t('capture.' + kind + '.help') })];

    if (current) {
      children.push(
        h('figure', { class: 'idv-preview' }, [
          current.asIs
            ? h('p', { class: 'idv-preview-file', text: t('capture.fileAsIs', { name: current.name }) })
            : h('img', { src: current.url, alt: t('capture.preview'), class: 'idv-preview-img' })
        ]),
        errorEl,
        h('div', { class: 'idv-actions' }, [
          h('button', { type: 'button', class: 'idv-btn', text: t('capture.retake'), onclick: function () {
            var img = s.images[kind];
            if (img && img.url) URL.revokeObjectURL(img.url);
            delete s.images[kind];
            self.render();
          } }),
          h('button', { type: 'button', class: 'idv-btn idv-primary', text: t('capture.usePhoto'),
            'data-idv-autofocus': '', onclick: function () { self.go(nextStep); } })
        ])
      );
      return h('div', { class: 'idv-step' }, children);
    }

    var fileId = nextId('file');
    var fileInput = h('input', {
      type: 'file', id: fileId, class: 'idv-file',
      accept: 'image/jpeg,image/png,image/webp,image/heic,image/heif,image/tiff,image/bmp,application/pdf,' +
        '.heic,.heif,.tif,.tiff,.bmp,.pdf,image/*',
      'data-kind': kind,
      onchange: function () {
        var f = fileInput.files && fileInput.files[0];
        if (!f) return;
        status.textContent = t('capture.processing');
        showError('');
        prepareFile(f).then(function (out) {
          self.setImage(kind, out.blob, out.asIs ? out : null);
          self.render();
        }, function () {
          status.textContent = '';
          fileInput.value = '';
          showError(t('capture.notImage'));
          fileInput.focus();
        });
      }
    });
    var cameraBox = h('div', { class: 'idv-camera', hidden: true });
    var camBtn = h('button', { type: 'button', class: 'idv-btn idv-primary', text: t('capture.useCamera'),
      onclick: function () { self.startCamera(kind, cameraBox, camBtn, status, showError, fileInput); } });
    var canCamera = !!(global.navigator.mediaDevices && global.navigator.mediaDevices.getUserMedia);
    children.push(
      canCamera ? h('div', { class: 'idv-actions' }, [camBtn]) : null,
      cameraBox,
      status,
      errorEl,
      h('div', { class: 'idv-upload' }, [
        h('p', { class: 'idv-label', text: t('capture.upload') }),
        // The input comes first so its focus can outline the label that stands for it.
        fileInput,
        h('label', { for: fileId, class: 'idv-btn idv-filebtn', text: t('capture.uploadLabel') })
      ]),
      h('div', { class: 'idv-actions' }, [
        h('button', { type: 'button', class: 'idv-btn', text: t('back'), onclick: function () { self.go(prevStep); } })
      ])
    );
    if (!canCamera) showError(t('capture.cameraUnavailable'));
    return h('div', { class: 'idv-step' }, children);
  };

  Flow.prototype.startCamera = function (kind, box, camBtn, status, showError, fileInput) {
    var self = this;
    var t = this.t;
    showError('');
    status.textContent = t('capture.cameraStarting');
    var constraints = { audio: false, video: { facingMode: kind === 'selfie' ? 'user' : 'environment',
      width: { ideal: 1920 }, height: { ideal: 1080 } } };
    global.navigator.mediaDevices.getUserMedia(constraints).then(function (stream) {
      if (self.state.step !== 'capture-' + kind) {
        stream.getTracks().forEach(function (tr) { tr.stop(); });
        return;
      }
      self.stream = stream;
      var video = h('video', { class: 'idv-video', autoplay: true, playsinline: true, muted: true,
        'aria-label': t('capture.' + kind + '.heading') });
      video.muted = true;
      video.srcObject = stream;
      var guide = h('div', { class: 'idv-guide idv-guide-' + (kind === 'selfie' ? 'face' : self.state.docType === 'passport' ? 'passport' : 'card'), 'aria-hidden': 'true' });
      var take = h('button', { type: 'button', class: 'idv-btn idv-primary', text: t('capture.take'), onclick: function () {
        if (!video.videoWidth) return;
        take.disabled = true;
        toJpeg(video, video.videoWidth, video.videoHeight).then(function (out) {
          self.stopCamera();
          self.setImage(kind, out.blob);
          self.render();
        }, function () {
          take.disabled = false;
          showError(t('capture.cameraError'));
        });
      } });
      var stop = h('button', { type: 'button', class: 'idv-btn', text: t('capture.stopCamera'), onclick: function () {
        self.stopCamera();
        self.render();
      } });
      box.textContent = '';
      box.appendChild(h('div', { class: 'idv-viewport' }, [video, guide]));
      box.appendChild(h('div', { class: 'idv-actions' }, [stop, take]));
      box.hidden = false;
      camBtn.hidden = true;
      var p = video.play();
      if (p && p.catch) p.catch(function () {});
      status.textContent = t('capture.cameraReady');
      take.focus();
    }, function (err) {
      status.textContent = '';
      var name = err && err.name;
      if (name === 'NotAllowedError' || name === 'SecurityError') showError(t('capture.cameraRefused'));
      else if (name === 'NotFoundError' || name === 'OverconstrainedError') showError(t('capture.cameraUnavailable'));
      else showError(t('capture.cameraError'));
      fileInput.focus();
    });
  };

  // ---- sending: create, upload each missing file, submit, poll ----

  Flow.prototype.renderSend = function () {
    var self = this;
    var t = this.t;
    this.progress = h('progress', { class: 'idv-progress', max: '100', value: '0', 'aria-hidden': 'true' });
    this.statusEl = h('p', { class: 'idv-status', role: 'status', 'aria-live': 'polite', text: t('send.creating') });
    this.sendError = h('div', { class: 'idv-send-error' });
    var el = h('div', { class: 'idv-step' }, [
      this.heading(t('send.heading')), this.progress, this.statusEl, this.sendError
    ]);
    setTimeout(function () { self.send(); }, 0);
    return el;
  };

  Flow.prototype.setProgress = function (fraction, text) {
    if (this.progress) this.progress.value = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
    if (text !== undefined && this.statusEl) this.statusEl.textContent = text;
  };

  Flow.prototype.send = function () {
    var self = this;
    var s = this.state;
    var t = this.t;
    if (this.busy || s.step !== 'send') return;
    this.busy = true;
    this.sendError.textContent = '';
    var kinds = this.kinds();
    var total = kinds.length;
    // Weights: creating 5 %, uploads 70 %, submit 5 %, checking 20 %.
    var chain = Promise.resolve();
    if (!s.verification) {
      chain = chain.then(function () {
        self.setProgress(0.02, t('send.creating'));
        return api(self.base, 'POST', '/verifications',
          { 'X-Client-Key': self.key, 'Content-Type': 'application/json' },
          JSON.stringify({ platform: 'web' })).then(function (v) {
          s.verification = { id: v.id, token: v.token, resultUrl: v.resultUrl };
          s.uploaded = {};
          s.submitted = false;
        });
      });
    }
    kinds.forEach(function (kind, i) {
      chain = chain.then(function () {
        if (s.uploaded[kind]) return null;
        var img = s.images[kind];
        if (!img) throw { missing: kind };
        var label = t('send.uploading', { what: t('kind.' + kind), n: i + 1, total: total });
        self.setProgress(0.05 + 0.7 * i / total, label);
        return uploadFile(self.base, s.verification, kind, img.blob, function (f) {
          self.setProgress(0.05 + 0.7 * (i + f) / total);
        }).then(function () { s.uploaded[kind] = true; });
      });
    });
    chain = chain.then(function () {
      if (s.submitted) return null;
      self.setProgress(0.76, t('send.submitting'));
      var v = s.verification;
      return api(self.base, 'POST', '/verifications/' + v.id + '/submit', { Authorization: 'Bearer ' + v.token })
        .catch(function (e) {
          // A submit whose answer was lost may have been accepted: the status call tells.
          if (e.status === 400 || e.status === 409) {
            return self.fetchStatus().then(function (st) {
              if (st && st.status !== 'processing' && st.status !== 'done') throw e;
            }, function () { throw e; });
          }
          throw e;
        })
        .then(function () { s.submitted = true; });
    });
    chain.then(function () {
      self.setProgress(0.8, t('send.checking'));
      return self.poll(Date.now());
    }).then(function (st) {
      self.busy = false;
      // The person may have left the step meanwhile (e.g. went back to retake a photo).
      if (s.step === 'send') self.handleStatus(st);
    }, function (e) {
      self.busy = false;
      if (s.step === 'send') self.showSendError(e);
    });
  };

  Flow.prototype.fetchStatus = function () {
    var v = this.state.verification;
    return api(this.base, 'GET', '/verifications/' + v.id + '/status', { Authorization: 'Bearer ' + v.token });
  };

  Flow.prototype.poll = function (started) {
    var self = this;
    return this.fetchStatus().then(function (st) {
      self.state.status = st;
      if (st.status === 'done' || st.status === 'failed') return st;
      var elapsed = Date.now() - started;
      if (elapsed > POLL_SLOW_MS) throw { slow: true };
      self.setProgress(0.8 + 0.19 * Math.min(1, elapsed / 20000));
      return sleep(POLL_MS).then(function () { return self.poll(started); });
    });
  };

  Flow.prototype.showSendError = function (e) {
    var self = this;
    var t = this.t;
    var s = this.state;
    var msg;
    var canRetry = true;
    if (e && e.missing) {
      this.go('capture-' + e.missing);
      return;
    }
    if (e && e.failed) msg = t('send.failed');
    else if (e && e.slow) msg = t('send.slow');
    else if (e && e.network) {
      // A call that fails while the browser says it is online: the service is down, or it
      // refused this page's origin (CORS failures look the same to a page).
      msg = global.navigator.onLine === false ? t('send.networkLost') : t('send.unreachable');
      this.pendingAction = function () { self.retrySend(); };
    } else if (e && e.status === 403 && !s.verification) {
      msg = t('send.badKey');
      canRetry = false;
    } else if (e && e.status === 400 && e.body && e.body.message && !s.submitted) {
      msg = t('send.rejected', { message: e.body.message });
    } else msg = t('send.uploadFailed');
    this.statusEl.textContent = '';
    this.sendError.textContent = '';
    this.sendError.appendChild(h('p', { class: 'idv-error', role: 'alert', text: msg }));
    var actions = [h('button', { type: 'button', class: 'idv-btn', text: t('back'), onclick: function () {
      self.go('capture-' + self.kinds()[self.kinds().length - 1]);
    } })];
    if (canRetry) {
      actions.push(h('button', { type: 'button', class: 'idv-btn idv-primary', 'data-idv-retry': '',
        text: e && e.slow ? t('send.wait') : t('retry'), onclick: function () { self.retrySend(); } }));
    }
    this.sendError.appendChild(h('div', { class: 'idv-actions' }, actions));
    var focus = this.sendError.querySelector('[data-idv-retry]') || this.sendError.querySelector('button');
    if (focus) focus.focus();
  };

  Flow.prototype.retrySend = function () {
    if (this.state.step !== 'send') return;
    this.pendingAction = null;
    this.sendError.textContent = '';
    this.send();
  };

  function retakeConcerns(st) {
    var list = (st && st.concerns) || [];
    return list.filter(function (c) {
      return c && (c.retake === true || (c.retake === undefined && RETAKE_CONCERN.test(c.id || '')));
    });
  }

  // The reason and the next step the person reads for each concern: the flow's own words for
  // the code (locales: concern.<code>, next.<step>), else the service's message.
  Flow.prototype.concernReasons = function (concerns) {
    var t = this.t;
    var seen = {};
    var out = [];
    (concerns || []).forEach(function (c) {
      if (!c || c.id === 'DC023') return;
      var reason = t('concern.' + c.id);
      if (reason === 'concern.' + c.id) reason = c.message || '';
      if (reason && !seen[reason]) { seen[reason] = true; out.push(reason); }
    });
    (concerns || []).forEach(function (c) {
      var step = c && c.next;
      if (!step || step === 'none') return;
      var text = t('next.' + step);
      if (text !== 'next.' + step && !seen[text]) { seen[text] = true; out.push(text); }
    });
    return out;
  };

  function looksUnread(ocr) {
    var a = ocr && ocr.data && ocr.data.attributes;
    if (!a) return true;
    var hasNumber = (a.documentNumbers || []).some(function (d) { return d && d.value; });
    return !a.dateOfBirth && !hasNumber && !a.lastName && !a.firstName;
  }

  Flow.prototype.handleStatus = function (st) {
    var s = this.state;
    s.status = st;
    this.setProgress(1, this.t('send.done'));
    if (st.status === 'failed' || !st.ocr) {
      this.resetVerification();
      this.showSendError({ failed: true });
      return;
    }
    var retake = retakeConcerns(st);
    s.retakes = s.retakes || {};
    // A concern already retaken MAX_RETAKES times does not ask again: the person goes on and a
    // person reviews the document (the integrator has the decision and its concerns).
    var fresh = retake.filter(function (c) { return (s.retakes[c.id] || 0) < MAX_RETAKES; });
    var unread = !retake.length && looksUnread(st.ocr);
    if (unread && (s.retakes.unread || 0) < MAX_RETAKES) fresh = [{ id: 'unread' }];
    if (fresh.length) {
      s.retakeReasons = this.concernReasons(retake);
      s.retakeIds = fresh.map(function (c) { return c.id; });
      this.go('retake');
      return;
    }
    s.stuck = retake.length > 0 || unread;
    s.person = prefill(st.ocr.data.attributes);
    this.go(st.ocr.applicationStatus === 'declined' && !s.stuck ? 'declined' : 'details');
  };

  Flow.prototype.resetVerification = function () {
    var s = this.state;
    s.verification = null;
    s.uploaded = {};
    s.submitted = false;
  };

  function prefill(a) {
    var num = (a.documentNumbers || []).filter(function (d) { return d.type === 'document-number'; })[0] ||
      (a.documentNumbers || [])[0];
    return {
      firstName: a.originalFirstName || a.firstName || '',
      lastName: a.originalLastName || a.lastName || '',
      dateOfBirth: a.dateOfBirth || '',
      nationality: a.nationality || '',
      documentNumber: num ? num.value : ''
    };
  }

  function concernList(messages) {
    if (!messages || !messages.length) return null;
    return h('ul', { class: 'idv-reasons' }, messages.map(function (m) { return h('li', { text: m }); }));
  }

  Flow.prototype.renderRetake = function () {
    var self = this;
    var t = this.t;
    var s = this.state;
    var reasons = s.retakeReasons && s.retakeReasons.length ? s.retakeReasons : [t('retake.generic'), t('next.retake')];
    return h('div', { class: 'idv-step' }, [
      this.heading(t('retake.heading')),
      h('div', { role: 'alert' }, [h('p', { text: t('retake.intro') }), concernList(reasons)]),
      h('div', { class: 'idv-actions' }, [
        h('button', { type: 'button', class: 'idv-btn idv-primary', text: t('retake.action'), onclick: function () {
          s.retakes = s.retakes || {};
          (s.retakeIds || []).forEach(function (id) { s.retakes[id] = (s.retakes[id] || 0) + 1; });
          delete s.images.front;
          delete s.images.back;
          self.resetVerification();
          self.go('capture-front');
        } }),
        // After a first retake the person may also go on to a person's review.
        (s.retakeIds || []).some(function (id) { return (s.retakes && s.retakes[id]) > 0; })
          ? h('button', { type: 'button', class: 'idv-btn', text: t('retake.continue'), onclick: function () {
            s.stuck = true;
            s.person = prefill((s.status && s.status.ocr && s.status.ocr.data && s.status.ocr.data.attributes) || {});
            self.go('details');
          } }) : null
      ])
    ]);
  };

  Flow.prototype.renderDeclined = function () {
    var self = this;
    var t = this.t;
    var s = this.state;
    var reasons = this.concernReasons(s.status && s.status.concerns);
    return h('div', { class: 'idv-step' }, [
      this.heading(t('declined.heading')),
      h('div', { role: 'alert' }, [h('p', { text: t('declined.intro') }), concernList(reasons)]),
      h('div', { class: 'idv-actions' }, [
        h('button', { type: 'button', class: 'idv-btn', text: t('declined.another'), onclick: function () {
          s.images = {};
          self.resetVerification();
          self.go('doctype');
        } }),
        h('button', { type: 'button', class: 'idv-btn idv-primary', text: t('declined.continue'),
          onclick: function () { self.go('details'); } })
      ])
    ]);
  };

  Flow.prototype.renderDetails = function () {
    var self = this;
    var t = this.t;
    var s = this.state;
    var p = s.person || prefill({});
    var f = {
      firstName: this.field('firstName', t('details.firstName'), { type: 'text', autocomplete: 'given-name', value: p.firstName, required: true }),
      lastName: this.field('lastName', t('details.lastName'), { type: 'text', autocomplete: 'family-name', value: p.lastName, required: true }),
      dateOfBirth: this.field('dateOfBirth', t('details.dateOfBirth'), { type: 'date', autocomplete: 'bday', value: p.dateOfBirth, required: true }),
      nationality: this.field('nationality', t('details.nationality'), { type: 'text', value: p.nationality, maxlength: '3', autocapitalize: 'characters', required: true }),
      documentNumber: this.field('documentNumber', t('details.documentNumber'), { type: 'text', value: p.documentNumber, autocapitalize: 'characters' })
    };
    var review = s.stuck ? h('p', { class: 'idv-note', 'data-idv-stuck': '', text: t('retake.stuck') })
      : s.status && s.status.ocr && s.status.ocr.applicationStatus === 'needs-review'
        ? h('p', { class: 'idv-note', text: t('review.note') }) : null;
    return this.form([
      this.heading(t('details.heading')),
      h('p', { text: t('details.intro') }),
      review,
      f.firstName.el, f.lastName.el, f.dateOfBirth.el, f.nationality.el, f.documentNumber.el,
      h('div', { class: 'idv-actions' }, [h('button', { type: 'submit', class: 'idv-btn idv-primary', text: t('details.confirm') })])
    ], function () {
      var person = {};
      Object.keys(f).forEach(function (k) { person[k] = f[k].input.value.trim(); });
      person.nationality = person.nationality.toUpperCase();
      person.documentNumber = person.documentNumber.toUpperCase();
      var errors = {};
      ['firstName', 'lastName', 'dateOfBirth', 'nationality'].forEach(function (k) {
        if (!person[k]) errors[k] = t('required');
      });
      if (person.nationality && !/^[A-Z<]{1,3}$/.test(person.nationality)) errors.nationality = t('details.nationalityInvalid');
      s.person = person;
      if (Object.keys(errors).length) {
        s.errors = errors;
        self.render();
        self.focusFirstError();
        return;
      }
      self.complete();
    });
  };

  Flow.prototype.complete = function () {
    var s = this.state;
    var data = {
      account: { email: s.email, password: s.password },
      person: s.person,
      ocr: s.status.ocr
    };
    this.go('done');
    this.root.dispatchEvent(new CustomEvent('idverify:complete', { detail: data, bubbles: true }));
    if (typeof this.onComplete === 'function') this.onComplete(data);
  };

  Flow.prototype.renderDone = function () {
    var t = this.t;
    return h('div', { class: 'idv-step' }, [this.heading(t('done.heading')), h('p', { text: t('done.text') })]);
  };

  // ---- public API ----

  function mount(target, options) {
    var root = typeof target === 'string' ? document.querySelector(target) : target;
    if (!root || root.nodeType !== 1) throw new Error('IdVerify.mount: no element for ' + target);
    options = options || {};
    if (!options.publishableKey) throw new Error('IdVerify.mount: publishableKey is required');
    var flow = new Flow(root, options);
    var ready = flow.start(options.locale || (global.navigator.language || 'en').slice(0, 2));
    return {
      setOnComplete: function (fn) {
        flow.onComplete = fn;
        return this;
      },
      ready: ready,
      destroy: function () {
        flow.stopCamera();
        root.textContent = '';
      }
    };
  }

  global.IdVerify = { mount: mount, version: '0.1.0' };

  // The standalone page /flow/ mounts itself from data attributes (no inline script needed).
  function autoMount() {
    var el = document.querySelector('[data-idverify-mount]');
    if (!el) return;
    var params = new URLSearchParams(global.location.search);
    var key = el.getAttribute('data-publishable-key') || params.get('key');
    if (!key) {
      el.textContent = 'Add ?key=<publishable key> to the address to start the flow.';
      return;
    }
    mount(el, { publishableKey: key, locale: params.get('locale') || el.getAttribute('data-locale') || undefined });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', autoMount);
  else autoMount();
})(window);

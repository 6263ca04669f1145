/* The demo integrator's front end: embeds the flow, hands the registration data to the demo
 * back end (POST /demo/api/complete), and shows what the back end verified and fetched. */
(function () {
  'use strict';

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') el.textContent = attrs[k];
      else if (k === 'class') el.className = attrs[k];
      else el.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) el.appendChild(c); });
    return el;
  }

  function signupPage(el) {
    var params = new URLSearchParams(location.search);
    var flow = IdVerify.mount(el, {
      publishableKey: el.getAttribute('data-publishable-key'),
      locale: params.get('locale') || 'en'
    });
    flow.setOnComplete(function (data) {
      // A real integrator sends this to its own back end, which verifies data.ocr.signed and
      // fetches the final result with its secret key before trusting anything in it.
      fetch('/demo/api/complete', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(data)
      }).then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) throw new Error(body.error || ('HTTP ' + r.status));
          location.assign('/demo/result?id=' + encodeURIComponent(body.id));
        });
      }).catch(function (e) {
        el.appendChild(h('p', { class: 'demo-error', role: 'alert', text: 'The demo back end refused the registration: ' + e.message }));
      });
    });
  }

  function row(label, value) {
    return h('tr', {}, [h('th', { scope: 'row', text: label }), h('td', { text: value === undefined || value === null || value === '' ? '—' : String(value) })]);
  }

  function table(rows) {
    return h('table', { class: 'demo-table' }, [h('tbody', {}, rows)]);
  }

  function resultPage(main) {
    var status = document.getElementById('result-status');
    var id = new URLSearchParams(location.search).get('id') || '';
    fetch('/demo/api/results/' + encodeURIComponent(id)).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error(body.error || ('HTTP ' + r.status));
        return body;
      });
    }).then(function (rec) {
      var data = rec.result;
      var decision = data.results.status;
      status.textContent = 'Result fetched by the demo back end.';
      main.appendChild(h('section', { class: 'demo-card', 'aria-labelledby': 'h-decision' }, [
        h('h2', { id: 'h-decision', text: 'Decision' }),
        h('p', {}, [h('span', { class: 'demo-decision demo-' + decision, 'data-decision': decision, text: decision })]),
        table([
          row('Verification id', rec.id),
          row('Processing status', data.status),
          row('Callback token', rec.tokenVerified ? 'signature verified (ES512, kid ' + rec.kid + ')' : 'not verified'),
          row('Results token', 'signature verified'),
          row('Registered e-mail', rec.account && rec.account.email)
        ])
      ]));
      var concerns = data.results.concerns || [];
      main.appendChild(h('section', { class: 'demo-card', 'aria-labelledby': 'h-concerns' }, [
        h('h2', { id: 'h-concerns', text: 'Concerns (' + concerns.length + ')' }),
        concerns.length
          ? h('ul', { class: 'demo-concerns' }, concerns.map(function (c) {
            return h('li', { 'data-concern': c.id, text: c.id + ' (' + c.status + '): ' + c.message });
          }))
          : h('p', { text: 'None.' })
      ]));
      var a = data.attributes;
      var docNumbers = (a.documentNumbers || []).map(function (d) { return d.value; }).join(', ');
      main.appendChild(h('section', { class: 'demo-card', 'aria-labelledby': 'h-attrs' }, [
        h('h2', { id: 'h-attrs', text: 'Attributes read from the document' }),
        table([
          row('Document type', a.documentType), row('First name (printed)', a.originalFirstName),
          row('First name (MRZ)', a.firstName), row('Last name (printed)', a.originalLastName),
          row('Last name (MRZ)', a.lastName), row('Date of birth', a.dateOfBirth),
          row('Gender', a.gender), row('Nationality', a.nationality), row('Issuing country', a.issueCountry),
          row('Document number', docNumbers), row('Expiry', a.dateOfExpiry), row('Place of birth', a.placeOfBirth)
        ])
      ]));
      var p = rec.person || {};
      main.appendChild(h('section', { class: 'demo-card', 'aria-labelledby': 'h-person' }, [
        h('h2', { id: 'h-person', text: 'Details the person confirmed' }),
        table([row('First name', p.firstName), row('Last name', p.lastName), row('Date of birth', p.dateOfBirth),
          row('Nationality', p.nationality), row('Document number', p.documentNumber)])
      ]));
      var figures = [];
      (data.documents || []).forEach(function (g) {
        (g.files || []).forEach(function (f) {
          figures.push(h('figure', {}, [
            h('img', { src: '/demo/api/results/' + encodeURIComponent(rec.id) + '/files/' + encodeURIComponent(f.kind), alt: 'Uploaded ' + f.kind + ' image', 'data-kind': f.kind }),
            h('figcaption', { text: f.kind + ' · ' + f.mediaType })
          ]));
        });
      });
      main.appendChild(h('section', { class: 'demo-card', 'aria-labelledby': 'h-images' }, [
        h('h2', { id: 'h-images', text: 'Document images (fetched with the secret key)' }),
        h('div', { class: 'demo-images' }, figures)
      ]));
      main.setAttribute('data-loaded', 'true');
    }).catch(function (e) {
      status.textContent = '';
      main.appendChild(h('p', { class: 'demo-error', role: 'alert', text: 'Could not load the result: ' + e.message }));
    });
  }

  var signup = document.getElementById('signup');
  if (signup && window.IdVerify) signupPage(signup);
  var result = document.querySelector('[data-demo-result]');
  if (result) resultPage(result);
})();

// Page state shared by browser_ports.js; web/s3file.js sets target and requestPolicies.
Module.s3f = {files: new Map(), xhrs: new Map(), timers: new Map(), target: null,
              requestPolicies: null, detail: null, items: []};

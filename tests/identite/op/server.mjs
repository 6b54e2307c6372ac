// A real OpenID Provider (oidc-provider, certified) on loopback, shaped like ProConnect or
// FranceConnect for the identity tests (issue 14). Configured by the environment:
//   OP_PROFILE       proconnect | franceconnect (claims, signing algorithms)
//   OP_PORT, OP_ISSUER, OP_CLIENT_ID, OP_CLIENT_SECRET
//   OP_REDIRECT_URIS, OP_POST_LOGOUT_REDIRECT_URIS  comma-separated
//   OP_USERINFO      jwt (default, as both federations) | json
// Its login page is a form where the test types who logs in and with which attributes, as a
// ProConnect identity provider or FranceConnect's would have them. POST /__test/faults sets the
// misbehaviours the refusal tests need: {"tamper_id_token": true} alters the ID token after it is
// signed, {"wrong_nonce": true} makes the OP sign another nonce than the one asked, and
// {"clock_offset": seconds} moves the OP's clock while it issues tokens. It prints « ready » when
// it listens.
import { createHash, generateKeyPairSync } from 'node:crypto';

import Provider from 'oidc-provider';

const env = (name, fallback) => process.env[name] ?? fallback;
const profile = env('OP_PROFILE', 'proconnect');
const port = Number(env('OP_PORT', '0'));
const issuer = env('OP_ISSUER', `http://127.0.0.1:${port}`);
const list = (value) => (value ? value.split(',').filter(Boolean) : []);

const PROFILES = {
  // ProConnect: claims in a signed userinfo, amr in the ID token when asked for.
  proconnect: {
    claims: {
      openid: ['sub'],
      email: ['email'],
      given_name: ['given_name'],
      usual_name: ['usual_name'],
      uid: ['uid'],
      siret: ['siret'],
      organizational_unit: ['organizational_unit'],
      idp_id: ['idp_id'],
    },
    alg: 'RS256',
    fields: ['given_name', 'usual_name', 'siret', 'organizational_unit'],
  },
  // FranceConnect v2: the citizen's civil-status identity, signed userinfo too.
  franceconnect: {
    claims: {
      openid: ['sub'],
      email: ['email'],
      given_name: ['given_name'],
      family_name: ['family_name'],
      preferred_username: ['preferred_username'],
      birthdate: ['birthdate'],
    },
    alg: 'ES256',
    fields: ['given_name', 'family_name', 'birthdate'],
  },
};
const shape = PROFILES[profile];

function signingKeys() {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  return [
    { ...rsa, kid: `${profile}-rs`, use: 'sig', alg: 'RS256' },
    { ...ec, kid: `${profile}-es`, use: 'sig', alg: 'ES256' },
  ];
}

const accounts = new Map();
let faults = {};

const html = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] || '').includes('application/json')) return JSON.parse(text || '{}');
  return Object.fromEntries(new URLSearchParams(text));
}

const configuration = {
  clients: [
    {
      client_id: env('OP_CLIENT_ID', 'portail'),
      client_secret: env('OP_CLIENT_SECRET', 'secret-de-test'),
      redirect_uris: list(env('OP_REDIRECT_URIS', '')),
      post_logout_redirect_uris: list(env('OP_POST_LOGOUT_REDIRECT_URIS', '')),
      response_types: ['code'],
      grant_types: ['authorization_code'],
      id_token_signed_response_alg: shape.alg,
      // Both federations sign userinfo (application/jwt); OP_USERINFO=json gives plain JSON.
      ...(env('OP_USERINFO', 'jwt') === 'jwt' ? { userinfo_signed_response_alg: shape.alg } : {}),
    },
  ],
  jwks: { keys: signingKeys() },
  cookies: { keys: ['cle-de-test-du-fournisseur'] },
  // amr is a claim like another for oidc-provider: listed, it reaches the ID token.
  claims: { ...shape.claims, amr: null },
  acrValues: ['eidas1', 'eidas2', 'eidas3'],
  pkce: { required: () => true },
  // The tests' skewed clocks must not expire the code between the redirect and its exchange.
  ttl: { AuthorizationCode: 3 * 3600, IdToken: 3600, AccessToken: 3600, Interaction: 3600, Session: 3600, Grant: 3600 },
  features: {
    devInteractions: { enabled: false },
    claimsParameter: { enabled: true },
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // ProConnect and FranceConnect log out without asking: submit the confirmation at once.
      async logoutSource(ctx, form) {
        ctx.body = `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Déconnexion</title></head>
<body>${form}<script>
const f = document.getElementById('op.logoutForm');
const i = document.createElement('input'); i.type = 'hidden'; i.name = 'logout'; i.value = 'yes';
f.appendChild(i); f.submit();
</script></body></html>`;
      },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const claims = accounts.get(id);
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
  // The portal is a known client of the federation: no consent screen, as with ProConnect.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(' ') : 'openid');
    grant.addOIDCClaims(['amr', 'acr', 'auth_time']);
    await grant.save();
    return grant;
  },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = `<!DOCTYPE html><html lang="fr"><body><h1>Erreur du fournisseur</h1><pre>${html(JSON.stringify(out))}</pre></body></html>`;
  },
};

const provider = new Provider(issuer, configuration);

function loginPage(uid, details) {
  const extra = shape.fields
    .map((name) => `<label>${name} <input name="${name}"></label><br>`)
    .join('\n');
  return `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Fournisseur ${profile}</title></head>
<body><h1>Fournisseur d'identité de test (${profile})</h1>
<p>Client : ${html(details.params.client_id)}</p>
<form method="post" action="/interaction/${uid}/login">
<label>email <input name="email" type="email"></label><br>
${extra}
<label><input type="checkbox" name="mfa" value="1"> second facteur utilisé</label><br>
<button type="submit">Valider</button>
</form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit">Annuler</button></form>
</body></html>`;
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/__test/faults' && ctx.method === 'POST') {
    faults = await readForm(ctx.req);
    ctx.body = faults;
    return;
  }
  const interaction = ctx.path.match(/^\/interaction\/([^/]+)(?:\/(login|abort))?$/);
  if (interaction) {
    const [, uid, action] = interaction;
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (!action) {
      ctx.type = 'html';
      ctx.body = loginPage(uid, details);
      return;
    }
    const form = await readForm(ctx.req);
    let result;
    if (action === 'abort') {
      result = { error: 'access_denied', error_description: "L'utilisateur a annulé la connexion." };
    } else {
      const email = form.email.trim().toLowerCase();
      const sub = createHash('sha256').update(`${profile}:${email}`).digest('hex').slice(0, 32);
      const claims = { email };
      for (const name of shape.fields) if (form[name]) claims[name] = form[name];
      if (profile === 'proconnect') Object.assign(claims, { uid: sub.slice(0, 8), idp_id: 'idp-test' });
      if (profile === 'franceconnect') claims.preferred_username = claims.family_name;
      accounts.set(sub, claims);
      const amr = form.mfa ? ['pwd', 'mfa'] : ['pwd'];
      result = { login: { accountId: sub, acr: 'eidas1', amr } };
    }
    ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
    return;
  }
  if (ctx.path === '/auth' && faults.wrong_nonce && ctx.query.nonce) {
    ctx.query = { ...ctx.query, nonce: 'un-autre-nonce' };
  }
  if (ctx.path === '/token') {
    const realNow = Date.now;
    const offset = Number(faults.clock_offset || 0) * 1000;
    if (offset) Date.now = () => realNow() + offset;
    try {
      await next();
    } finally {
      Date.now = realNow;
    }
    if (faults.tamper_id_token && ctx.body?.id_token) {
      // Same header and signature, another payload: what an attacker in the middle would try.
      const [header, payload, signature] = ctx.body.id_token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      claims.sub = 'usurpateur';
      ctx.body = { ...ctx.body, id_token: [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.') };
    }
    return;
  }
  await next();
});

const server = provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${server.address().port}\n`);
});

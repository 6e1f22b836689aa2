#!/usr/bin/env python3
"""How many rows of the catalogue's list of uncovered token formats logleaks recognises by format alone.

Usage: scripts/catalogue-coverage.py [UNCOVERED_MD] [--seed N] [--keep DIR]

Reads the table of `uncovered.md` (default: ../shared/catalogue/uncovered.md), makes a fresh random
value of each row's format (our own generator below: prefix, alphabet and length as the vendor
issues them, never a catalogue's example), plants each as `GET /x?ref=VALUE&page=2` in a combined
access log, scans it with logleaks (`$LOGLEAKS`, default target/release/logleaks, else
target/debug/logleaks) and prints, per row, whether a non-generic rule reported the value.

A row with several prefixes (`xoxa-` `xoxe-` …) gets one value per prefix and counts as recognised
only when every one is found. Rows that logleaks leaves out on purpose carry the reason; they are
still planted and counted, so the share is over every row.
"""
import json, os, random, re, subprocess, sys, tempfile, urllib.parse, base64

ALPHA = {'A': 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
         'a': 'abcdefghijklmnopqrstuvwxyz0123456789', 'U': 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
         'h': '0123456789abcdef', 'H': '0123456789ABCDEF', 'd': '0123456789',
         'l': 'abcdefghijklmnopqrstuvwxyz', 'L': 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
         'u': 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-',
         'b': 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'g': 'abcdefgh0123456789'}

# First prefix of a row -> (templates, one per prefix of the row; reason when left out on purpose).
# `{A43}`: 43 characters of alphabet A; `{uuid}`; `{j}`: base64url of a small JSON object;
# `{pem LABEL}`: base64 of a PEM block with that label.
NOT_SECRET = 'not a secret (identifier, public value or password hash)'
AMBIGUOUS = 'cannot be told from ordinary values without the vendor name nearby'
ONE_SOURCE = 'format confirmed by one public catalogue only, no vendor documentation found'
FORMATS = {
    'A3-': (['A3-{U6}-{U6}-{U5}-{U5}-{U5}-{U5}'], None),
    'ops_eyJ': (['ops_eyJ{b300}'], None),
    'aio_': (['aio_{A28}'], None),
    'p8e-': (['p8e-{A32}'], None),
    'age1': (['age1{l58}'], NOT_SECRET),
    'pat': (['pat{A14}.{h64}'], None),
    'AKC': (['AKCp{A69}'], None),
    'cmVmd': (['cmVmdGtuOjAxOj{A50}'], None),
    'authress_': (['authress_{a12}.{a5}.acc_{a16}.{u60}'], None),
    'ext_': (['ext_{a12}.{a5}.acc_{a16}.{u60}'], None),
    'sc_': (['sc_{a12}.{a5}.acc_{a16}.{u60}'], None),
    'scauth_': (['scauth_{a12}.{a5}.acc_{a16}.{u60}'], None),
    'A3T': (['A3TA{U16}'], 'a key-id shape AWS does not document (its unique-id prefixes are AKIA, ASIA, ABIA, ACCA, ...)'),
    'ABSK': (['ABSK{b132}'], None),
    'AGPA': (['AGPA{U16}'], NOT_SECRET), 'AIDA': (['AIDA{U16}'], NOT_SECRET), 'AIPA': (['AIPA{U16}'], NOT_SECRET),
    'ANPA': (['ANPA{U16}'], NOT_SECRET), 'ANVA': (['ANVA{U16}'], NOT_SECRET), 'AROA': (['AROA{U16}'], NOT_SECRET),
    'bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t': (['bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t{b300}'], None),
    'dev.azure.com/': (['dev.azure.com/{l10}'], NOT_SECRET),
    'bkua_': (['bkua_{h40}'], None),
    'pk_': (['pk_{d8}_{U32}'], None),
    'CCIPAT_': (['CCIPAT_{A22}_{h40}'], None),
    '4b1d': (['4b1d{A38}'], AMBIGUOUS + ' (a 4-hex-digit prefix)'),
    'CLOJARS_': (['CLOJARS_{a60}'], None),
    'api_': (['api_{A45}'], AMBIGUOUS),
    'v1.0-': (['v1.0-{h24}-{h146}'], None),
    'live_': (['live_{u40}'], AMBIGUOUS),
    'test_': (['test_{u40}'], AMBIGUOUS),
    'CFPAT-': (['CFPAT-{u43}'], None),
    'cio': (['cio{A32}'], AMBIGUOUS + ' (3-letter prefix)'),
    'dapi': (['dapi{h32}'], None),
    'dnkey-': (['dnkey-{a26}-{a52}'], None),
    'web_': (['web_{h32}'], AMBIGUOUS),
    'dp.audit.': (['dp.audit.{A43}'], None), 'dp.ct.': (['dp.ct.{A43}'], None), 'dp.pt.': (['dp.pt.{A43}'], None),
    'dp.sa.': (['dp.sa.{A43}'], None), 'dp.scim.': (['dp.scim.{A43}'], None), 'dp.st.': (['dp.st.prd.{A44}'], None),
    'sl.': (['sl.{u140}'], None),
    'odt_': (['odt_{A32}'], None),
    'duffel_live_': (['duffel_live_{u43}'], None), 'duffel_test_': (['duffel_test_{u43}'], None),
    'dt0': (['dt0c01.{U24}.{U64}'], None),
    'EZAK': (['EZAK{A54}'], None), 'EZTK': (['EZTK{A54}'], None),
    'AK1': (['AK1{A52}'], AMBIGUOUS + ' (3-character prefix)'),
    'figd_': (['figd_{u40}'], None),
    'flb_live_': (['flb_live_{A20}'], None),
    'shltm_': (['shltm_{u40}'], None),
    'FLWPUBK_TEST-': (['FLWPUBK_TEST-{g32}-X'], NOT_SECRET),
    'FLWSECK_TEST-': (['FLWSECK_TEST-{g32}-X'], None),
    'fm1a_': (['fm1a_{b120}'], None), 'fm1r_': (['fm1r_{b120}'], None), 'fm2_': (['fm2_{b180}'], None), 'fo1_': (['fo1_{u43}'], None),
    'fio-u-': (['fio-u-{u64}'], None),
    'na1.': (['na1.{b100}'], AMBIGUOUS + ' (region host names such as na1.<domain>)'),
    'gsk_': (['gsk_{A52}'], None),
    'pat.': (['pat.{u22}.{A24}.{A20}'], None), 'sat.': (['sat.{u22}.{A24}.{A20}'], None),
    'pat-eu1-': (['pat-eu1-{uuid}'], None), 'pat-na1-': (['pat-na1-{uuid}'], None),
    'api_org_': (['api_org_{L34}'], None),
    'ico-': (['ico-{A32}'], ONE_SOURCE),
    's-s4t2af-': (['s-s4t2af-{h64}'], None), 's-s4t2ud-': (['s-s4t2ud-{h64}'], None),
    'ion_': (['ion_{a42}'], ONE_SOURCE),
    'aGJHY2lPaU': (['aGJHY2lPaU{b120}'], 'a JWT base64-encoded a second time: a catalogue artefact, not a format any vendor issues'),
    '$krb5asrep$23$': (['$krb5asrep$23$user@REALM:{h32}${h200}'], NOT_SECRET),
    'pubkey-': (['pubkey-{h32}'], NOT_SECRET),
    'pk.': (['pk.{j}.{u22}'], NOT_SECRET), 'sk.': (['sk.{j}.{u22}'], None), 'tk.': (['tk.{j}.{u22}'], None),
    'mdb_sa_sk_': (['mdb_sa_sk_{A40}'], None),
    'outlook.office.com/webhook/': (['https://outlook.office.com/webhook/{uuid}@{uuid}/IncomingWebhook/{h32}/{uuid}'], None),
    'ak_': (['ak_{A27}'], NOT_SECRET + ': ngrok `ak_`/`cr_` are the ids of API keys and credentials'),
    'cr_': (['cr_{A27}'], NOT_SECRET + ': ngrok `ak_`/`cr_` are the ids of API keys and credentials'),
    'NF-': (['NF-{A32}'], AMBIGUOUS + ' (2-letter prefix)'),
    'oy2': (['oy2{a43}'], None),
    'nvapi-': (['nvapi-{u64}'], None),
    'API-': (['API-{U26}'], None),
    'sha256~': (['sha256~{u43}'], None),
    'ak_live_': (['ak_live_{A30}'], None),
    'LS0tLS1CRUdJTiBEU0EgUFJJVkFURSBLRVktLS0t': (['{pem DSA PRIVATE KEY}'], None),
    'LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0t': (['{pem EC PRIVATE KEY}'], None),
    'LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0t': (['{pem RSA PRIVATE KEY}'], None),
    'pplx-': (['pplx-{A48}'], None),
    'access-development-': (['access-development-{uuid}'], None), 'access-production-': (['access-production-{uuid}'], None),
    'access-sandbox-': (['access-sandbox-{uuid}'], None),
    'pscale_oauth_': (['pscale_oauth_{u43}'], None), 'pscale_pw_': (['pscale_pw_{u43}'], None), 'pscale_tkn_': (['pscale_tkn_{u43}'], None),
    'phx_': (['phx_{A43}'], None), 'pnu_': (['pnu_{A36}'], None),
    'pub-c-': (['pub-c-{uuid}'], NOT_SECRET + ': PubNub publish/subscribe keys ship in client apps; the secret key is `sec-c-`'),
    'sub-c-': (['sub-c-{uuid}'], NOT_SECRET + ': PubNub publish/subscribe keys ship in client apps; the secret key is `sec-c-`'),
    'pul-': (['pul-{h40}'], None),
    '$1$': (['$1${a8}${A22}'], NOT_SECRET), '$2a$': (['$2a$10${A53}'], NOT_SECRET), '$2b$': (['$2b$12${A53}'], NOT_SECRET),
    '$2x$': (['$2x$10${A53}'], NOT_SECRET), '$2y$': (['$2y$10${A53}'], NOT_SECRET), '$8$': (['$8${A14}${A43}'], NOT_SECRET),
    'rdme_': (['rdme_{a70}'], None), 'r8_': (['r8_{A37}'], None),
    'tk-us-': (['tk-us-{u48}'], None),
    'scp-live-': (['scp-live-{h32}'], None), 'scp-test-': (['scp-test-{h32}'], None),
    'sgp_': (['sgp_{h16}_{h40}', 'sgp_local_{h40}', 'sgp_{A64}'], None),
    'xkeysib-': (['xkeysib-{h64}-{A16}'], None),
    'sm_aat_': (['sm_aat_{A16}'], None), 'sm_pat_': (['sm_pat_{A16}'], None), 'sm_sat_': (['sm_sat_{A16}'], None),
    'shippo_live': (['shippo_live_{h40}'], None), 'shippo_test': (['shippo_test_{h40}'], None),
    'v2/': (['v2/{A40}'], AMBIGUOUS),
    'hooks.slack.com/services/': (['https://hooks.slack.com/services/T{U10}/B{U10}/{A24}'], None),
    'hooks.slack.com/triggers/': (['https://hooks.slack.com/triggers/T{U10}/{d13}/{h32}'], None),
    'hooks.slack.com/workflows/': (['https://hooks.slack.com/workflows/T{U10}/A{U10}/{d18}/{A24}'], None),
    'xox': (['xoxb-{d12}-{d13}-{A24}', 'xoxe.xoxp-1-{A165}', 'xoxe-1-{A146}', 'xoxa-2-{A40}', 'xoxr-{A40}'],
            'legacy workspace-app tokens (`xoxa-`, `xoxr-`) are left out: Slack retired workspace apps'),
    'sqa_': (['sqa_{h40}'], None), 'sqp_': (['sqp_{h40}'], None), 'squ_': (['squ_{h40}'], None),
    'slk_': (['slk_{h64}'], None),
    'sq0idp-': (['sq0idp-{u22}'], NOT_SECRET + ': Square application id'),
    'hawk.': (['hawk.{u20}.{u20}'], None),
    'pk_live_': (['pk_live_{A24}'], NOT_SECRET + ': Stripe publishable key'),
    'rk_prod_': (['rk_prod_{A24}'], 'a shape Stripe never issues (`rk_live_`, `rk_test_`)'),
    'sk_prod_': (['sk_prod_{A24}'], 'a shape Stripe never issues (`sk_live_`, `sk_test_`)'),
    'sbp_': (['sbp_{h40}'], None),
    'tskey-': (['tskey-auth-{A11}CNTRL-{A33}'], None),
    'tkn.v1_': (['tkn.v1_{A71}='], None),
    'KEY': (['KEY{H32}_{A22}'], AMBIGUOUS + ' (catalogues themselves require the name `telnyx` nearby)'),
    'thingsboard.cloud/api/v1/': (['https://thingsboard.cloud/api/v1/{A20}/telemetry'], None),
    'tfp_': (['tfp_{A44}_{A14}'], None),
    'BBFF-': (['BBFF-{A30}'], None), 'VF.': (['VF.DM.{h24}.{A16}'], None), 'xai-': (['xai-{A80}'], None),
    'AQVN': (['AQVN{u36}'], None), 't1.': (['t1.{u60}.{u86}'], None),
    'hooks.zapier.com/hooks/catch/': (['https://hooks.zapier.com/hooks/catch/{d8}/{a7}/'], None),
    '1000.': (['1000.{h32}.{h32}'], None),
}


def make(template, rng):
    def one(m):
        spec = m.group(1)
        if spec == 'uuid':
            h = lambda n: ''.join(rng.choice(ALPHA['h']) for _ in range(n))
            return f'{h(8)}-{h(4)}-{h(4)}-{h(4)}-{h(12)}'
        if spec == 'j':
            obj = {'u': ''.join(rng.choice(ALPHA['l']) for _ in range(8)),
                   'a': ''.join(rng.choice(ALPHA['A']) for _ in range(25))}
            return base64.urlsafe_b64encode(json.dumps(obj, separators=(',', ':')).encode()).decode().rstrip('=')
        if spec.startswith('pem '):
            body = base64.b64encode(bytes(rng.randrange(256) for _ in range(120))).decode()
            return base64.b64encode(f'-----BEGIN {spec[4:]}-----\n{body}\n'.encode()).decode()
        return ''.join(rng.choice(ALPHA[spec[0]]) for _ in range(int(spec[1:])))
    return re.sub(r'\{([^}]+)\}', one, template)


def rows(markdown):
    """(vendor, first prefix) of each row of the first table."""
    out = []
    for line in markdown.splitlines():
        if line.startswith('## '):
            if out:
                break
        cells = [c.strip() for c in line.split('|')]
        if len(cells) < 5 or not cells[3].startswith('`'):
            continue
        out.append((cells[1], re.findall(r'`([^`]+)`', cells[3])[0]))
    return out


def main():
    args = sys.argv[1:]
    seed = 7
    if '--seed' in args:
        i = args.index('--seed'); seed = int(args[i + 1]); del args[i:i + 2]
    path = args[0] if args else os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'catalogue', 'uncovered.md')
    binary = os.environ.get('LOGLEAKS') or next(
        (p for p in ('target/release/logleaks', 'target/debug/logleaks') if os.path.exists(p)), 'logleaks')
    rng = random.Random(seed)
    table = rows(open(path, encoding='utf-8').read())
    planted = []  # (row index, value)
    for index, (vendor, prefix) in enumerate(table):
        if prefix not in FORMATS:
            sys.exit(f'no generator for row {vendor} `{prefix}`: add one to FORMATS')
        for template in FORMATS[prefix][0]:
            planted.append((index, make(template, rng)))
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, 'access.log')
        with open(log, 'w') as out:
            for n, (_, value) in enumerate(planted):
                quoted = urllib.parse.quote(value, safe='-._~:/')
                out.write(f'203.0.113.{n % 250 + 1} - - [04/Dec/2026:10:{n // 60 % 60:02d}:{n % 60:02d} +0000] '
                          f'"GET /x?ref={quoted}&page=2 HTTP/1.1" 200 512 "-" "curl/8.5.0"\n')
        run = subprocess.run([binary, 'scan', '--format', 'jsonl', '--show-secrets', '--fail-on', 'never',
                              '--no-config', '--min-severity', 'low', log],
                             capture_output=True, text=True)
        if run.returncode not in (0, 1):
            sys.exit(f'{binary} failed: {run.stderr}')
    found = {}
    for line in run.stdout.splitlines():
        f = json.loads(line)
        if 'generic' not in f['rule']:
            found.setdefault(f['line'], []).append(f['rule'])
    by_row = {}
    for n, (index, _) in enumerate(planted):
        by_row.setdefault(index, []).append(found.get(n + 1))
    recognised = left_out = 0
    for index, (vendor, prefix) in enumerate(table):
        hits = by_row[index]
        ok = all(hits)
        reason = FORMATS[prefix][1]
        recognised += ok
        left_out += (not ok) and reason is not None
        rules = sorted({r for h in hits if h for r in h})
        state = 'found' if ok else ('partly' if any(hits) else 'missed')
        print(f'{state:7} {vendor[:28]:28} {prefix[:24]:24} {",".join(rules) or "-":40} {reason or ""}')
    total = len(table)
    secrets = total - sum(1 for _, p in table if (FORMATS[p][1] or '').startswith(NOT_SECRET))
    print(f'\n{recognised} of {total} rows recognised by format alone ({100 * recognised / total:.1f}%); '
          f'{recognised} of {secrets} rows that are secrets ({100 * recognised / secrets:.1f}%); '
          f'{left_out} not recognised on purpose (reason given), {total - recognised - left_out} missed')


if __name__ == '__main__':
    main()

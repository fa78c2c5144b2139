#!/usr/bin/env python3
# Maintainer tool, not run by CI: prints the .ci/shared-pins.txt lines for every file under
# ../shared/fixtures/upstream, read from its SOURCES.md (repository keys, commits, upstream paths incl. the
# "<same name>", {a,b}, glob and "..." forms used there) with each file's sha256. Run it after SOURCES.md changes,
# replace the fixtures/ lines of .ci/shared-pins.txt with its output, and check with .ci/fetch-shared.sh.
import re, hashlib, os, sys, glob
shared=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared'); root=f'{shared}/fixtures/upstream'
src=open(f'{root}/SOURCES.md').read()
keys={}
for m in re.finditer(r'^\| (\w{3}) \| ([\w.-]+/[\w.-]+) \| .*?@ ([0-9a-f]{40})', src, re.M):
    keys[m.group(1)]=(m.group(2),m.group(3))
def braces(s):
    m=re.search(r'\{([^}]*)\}',s)
    if not m: return [s]
    return [x for opt in m.group(1).split(',') for x in braces(s[:m.start()]+opt+s[m.end():])]
pins={}; unresolved=[]
section_key=None; prefix=''; prev_up=None
for line in src.splitlines():
    if line.startswith('### '):
        m=re.search(r'\b([A-Z]{3})[,)]',line)
        section_key=m.group(1) if m else None
        prefix={'odh-model-controller':'odh-model-controller/stable-2.x/','odh-dashboard':'odh-dashboard/v2.38.2-odh/'}.get(line[4:].split('/')[0],'')
        continue
    if line.startswith('| Local file'):
        m=re.search(r'\((\w{3})\)',line)
        if m: section_key=m.group(1)
        hasSrc='| Src |' in line
        continue
    if not line.startswith('| ') or line.startswith('|---') or section_key is None and 'Src' not in line and not line.startswith('| '): continue
    cells=[c.strip() for c in line.strip().strip('|').split('|')]
    if len(cells)<3 or not re.search(r'\.ya?ml', cells[0]): continue
    if cells[1] in keys: key=cells[1]; up=cells[2]
    else: key=section_key; up=cells[1]
    if key not in keys: unresolved.append(line[:80]); continue
    repo,commit=keys[key]
    up=up.strip('`')
    # locals
    loc=cells[0].strip('`')
    loc=re.sub(r'\s*\(\d+ files\)','',loc)
    names=[]
    for part in re.split(r',\s*(?![^{]*\})|\s+/\s+',loc):
        for n in braces(part):
            names.append(n)
    first_dir=os.path.dirname(names[0])
    full=[]
    for n in names:
        if n.startswith('…'): n=names[0][:(names[0].rfind('-inference-service') if '-inference-service' in names[0] else names[0].rfind('-'))]+n[1:]
        if '/' not in n and first_dir: n=first_dir+'/'+n
        full.append(prefix+n)
    expanded=[]
    for n in full:
        if '*' in n: expanded+= sorted(os.path.relpath(p,root) for p in glob.glob(f'{root}/{n}'))
        else: expanded.append(n)
    ups=braces(up)
    if up.startswith('…/'):
        base=prev_up[:prev_up.find('/resources/')] if prev_up and '/resources/' in prev_up else None
        if base is None: unresolved.append(line[:80]); continue
        ups=[base+up[1:]]
    for i,l in enumerate(expanded):
        if '<same name>' in up: u=up.replace('<same name>',os.path.basename(l))
        elif len(ups)==len(expanded): u=ups[i]
        elif len(ups)==1 and len(expanded)==1: u=ups[0]
        else: unresolved.append(f'{l} <- {up}'); continue
        pins[l]=(repo,commit,u)
    if not up.startswith('…'): prev_up=ups[0]
out=[]
for l,(repo,commit,u) in sorted(pins.items()):
    p=f'{root}/{l}'
    if not os.path.exists(p): unresolved.append('nofile '+l); continue
    out.append(f'fixtures/upstream/{l} {repo} {commit} {u} {hashlib.sha256(open(p,"rb").read()).hexdigest()}')
allf={os.path.relpath(os.path.join(d,f),root) for d,_,fs in os.walk(root) for f in fs if f!='SOURCES.md'}
print('\n'.join(out))
print('resolved',len(out),'of',len(allf),'unresolved',unresolved,'unpinned',sorted(allf-set(pins)),file=sys.stderr)

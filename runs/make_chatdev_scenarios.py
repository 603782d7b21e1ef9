#!/usr/bin/env python3
"""Writes runs/chatdev*.yaml from 'walras derive-chatdev' and the rules in
runs/README.md.  Run from the repository root after scripts/build:
    python3 runs/make_chatdev_scenarios.py
The agents' requirements and the edge weights are taken verbatim from the
walras executable; this script only adds the horizon, the providers and the
replica counts, whose arithmetic it prints."""
import json, math, statistics, subprocess, sys
import yaml

DATA = 'runs/data'
# role -> provider (runs/README.md explains the choice)
PROVIDER_OF_ROLE = {'Programmer': 'groq', 'Code Reviewer': 'together',
                    'Chief Product Officer': 'fireworks', 'Chief Technology Officer': 'fireworks'}
CONCURRENCY = 5  # LLMPerf leaderboard, ../shared/data/README.md section 3
GAMMA, SIGMA = 2.0, 0.7
PEAK_MARGIN, LOOP_FACTOR = 1.1, 2.0


def provider(name):
    ok = [r for r in json.load(open(f'{DATA}/llmperf/{name}_70b.json')) if r.get('error_code') is None]
    return (CONCURRENCY * statistics.median(r['number_input_tokens'] / r['ttft_s'] for r in ok),
            CONCURRENCY * statistics.median(r['number_output_tokens'] / r['end_to_end_latency_s'] for r in ok))


def minute_bins(times):
    t0 = min(times)
    times = [t - t0 for t in times]
    K = int(max(times) // 60)
    bins = [0] * K
    for t in times:
        if int(t // 60) < K:
            bins[int(t // 60)] += 1
    return K, bins


def azure_times(path):
    out = []
    for line in open(path).read().splitlines()[1:]:
        ts = line.split(',')[0]
        day, clock = ts.split(' ')
        h, m, s = clock.split(':')
        out.append(int(day[-2:]) * 86400 + int(h) * 3600 + int(m) * 60 + float(s))
    return out


def mooncake_times(path):
    return [json.loads(l)['timestamp'] / 1000 for l in open(path) if l.strip()]


def main():
    derived = subprocess.run(['build/walras', 'derive-chatdev'], check=True, capture_output=True,
                             text=True).stdout
    dag = yaml.safe_load(derived)
    roles = {}
    for line in derived.splitlines():  # the role is in the comment after each name
        if line.startswith('  - name: '):
            name = line.split('"')[1]
            roles[name] = line.split('# ')[1].split(';')[0]
    # share of tasks that pass each node: push the edge weights through the DAG
    share = {a['name']: 0.0 for a in dag['agents']}
    for e in dag['edges']:  # edges come in topological order of their source
        src = 1.0 if e['from'] == 'ingress' else share[e['from']]
        share[e['to']] += src * e['weight']
    caps = {p: provider(p) for p in set(PROVIDER_OF_ROLE.values())}

    scenarios = [
        ('chatdev', 'azure_csv', 'data/azure/AzureLLMInferenceTrace_code.csv',
         azure_times(f'{DATA}/azure/AzureLLMInferenceTrace_code.csv'), 'Azure code-completion trace'),
        ('chatdev_azure_conv', 'azure_csv', 'data/azure/AzureLLMInferenceTrace_conv.csv',
         azure_times(f'{DATA}/azure/AzureLLMInferenceTrace_conv.csv'), 'Azure conversation trace'),
        ('chatdev_mooncake', 'mooncake_jsonl', 'data/mooncake/conversation_trace.jsonl',
         mooncake_times(f'{DATA}/mooncake/conversation_trace.jsonl'), 'Mooncake conversation trace'),
    ]
    # replicas are sized once, on the default (code) trace, and kept for the
    # alternatives: the same company under three demand processes
    replicas = {}
    for name, fmt, file, times, label in scenarios:
        K, bins = minute_bins(times)
        T = 60 * K
        lam_mean, lam_peak = sum(bins) / T, max(bins) / 60
        print(f'# {name}: T = {T} s, K = {K}, mean {lam_mean:.4f} tasks/s, peak minute {lam_peak:.4f} tasks/s')
        agents_yaml = []
        for a in dag['agents']:
            n, role = a['name'], roles[a['name']]
            prov = PROVIDER_OF_ROLE[role]
            cp, cd = caps[prov]
            # replicas one task per second keeps busy on a gamma = 2 frontier
            per_task = share[n] * math.hypot(a['require']['prefill'] / cp, a['require']['decode'] / cd)
            loop = n.startswith('CodeReview')
            if n not in replicas:
                R = math.ceil((LOOP_FACTOR * lam_mean if loop else PEAK_MARGIN * lam_peak) * per_task)
                replicas[n] = max(R, 1)
            R = replicas[n]
            over = sum(1 for b in bins if b / 60 > R / per_task)
            print(f'#   {n:26s} {prov:9s} share {share[n]:.3f} replicas/(task/s) {per_task:.4f} '
                  f'-> {R:3d} replicas, serves {R / per_task:6.2f} tasks/s, '
                  f'util mean {lam_mean * per_task / R:.2f} peak {lam_peak * per_task / R:.2f}, '
                  f'{over} minutes over capacity')
            agents_yaml.append(
                f'  - name: "{n}"    # {role}\n'
                f'    gamma: {GAMMA}\n    provider: {prov}\n    replicas: {R}\n'
                f'    require: {{prefill: {a["require"]["prefill"]:.2f}, decode: {a["require"]["decode"]:.2f}}}\n')
        edges_yaml = ''.join(line + '\n' for line in derived.splitlines()
                             if line.startswith('  - {from:'))
        with open(f'runs/{name}.yaml', 'w') as f:
            f.write(f'# ChatDev software company served from three LLMPerf providers, demand from the\n'
                    f'# {label}.  Every number is derived in runs/README.md; agents and edges\n'
                    f'# come from "walras derive-chatdev", replicas from runs/make_chatdev_scenarios.py.\n'
                    f'walras: 1\nname: {name}\n'
                    f'description: ChatDev workflow (unrolled, 30 measured runs) under the {label};\n  replicas sized on the Azure code trace\n\n'
                    f'horizon:\n  T: {T}    # whole minutes of the trace span\n  K: {K}      # one-minute intervals\n\n'
                    f'metrics: [prefill, decode]\n\n'
                    f'demand:\n  trace: {{format: {fmt}, file: {file}}}\n  value: tasks\n\n'
                    f'orchestrator:\n  sigma: {SIGMA}\n  entry: {{ingress: 1.0}}\n  exit: [Manual]\n\n'
                    f'providers:\n' + ''.join(f'  {p}: {{llmperf: data/llmperf/{p}_70b.json}}\n'
                                              for p in sorted(caps)) +
                    f'\nagents:\n  - name: ingress\n    kind: capacity\n    capacity: {{prefill: arrivals}}\n'
                    f'    require: {{prefill: 1}}\n' + ''.join(agents_yaml) +
                    '\nedges:\n' + edges_yaml)
    for p, (cp, cd) in sorted(caps.items()):
        print(f'# {p}: per replica prefill {cp:.1f} tok/s, decode {cd:.1f} tok/s')


if __name__ == '__main__':
    sys.exit(main())

/**
 * Parameter sampling for the hyper-optimizer: chooses a method per trial (randomized greedy or
 * hypergraph bisection) and its parameters. Adaptation is simple and cheap: methods whose best
 * score lags get sampled less (never below a floor), and half of a method's trials perturb one
 * of its best parameter sets found so far instead of drawing fresh ones (cotengra uses Bayesian
 * optimisation for the same job; random search with local refinement is a robust stand-in).
 */
import { GREEDY_COST_FNS } from '../greedy.js';

/** Methods the hyper-optimizer can sample. */
export type HyperMethod = 'random-greedy' | 'bisection';

/** Sampled parameters of one trial. */
export type TrialParams = Record<string, number | string>;

interface MethodStats {
  trials: number;
  best: number;
  /** Best few parameter sets, best first. */
  top: Array<{ score: number; params: TrialParams }>;
}

const TOP_KEEP = 6;

/** Adaptive sampler of (method, parameters). */
export class HyperSampler {
  private readonly stats = new Map<HyperMethod, MethodStats>();
  /** Best score of bisection trials with unconstrained (imbalance ≥ 1) and balanced splits. */
  private readonly peelBest = [Infinity, Infinity];
  private readonly peelTrials = [0, 0];

  constructor(
    private readonly rand: () => number,
    readonly methods: readonly HyperMethod[],
  ) {
    if (methods.length === 0) throw new Error('hyper-optimizer needs at least one method');
    for (const m of methods) this.stats.set(m, { trials: 0, best: Infinity, top: [] });
  }

  /** Trials run per method so far. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [m, s] of this.stats) out[m] = s.trials;
    return out;
  }

  /** Next method: round robin for the first trials, then weighted by how close each is to the best. */
  pickMethod(): HyperMethod {
    const ms = this.methods;
    for (const m of ms) if (this.stats.get(m)!.trials < 3) return m;
    let bestAll = Infinity;
    for (const m of ms) bestAll = Math.min(bestAll, this.stats.get(m)!.best);
    // Score gaps are in log2 cost: a method 2 bits behind gets e^-1 of the weight, floor 10%.
    const w = ms.map((m) => Math.max(0.1, Math.exp(-(this.stats.get(m)!.best - bestAll) / 2)));
    let r = this.rand() * w.reduce((a, b) => a + b, 0);
    for (let j = 0; j < ms.length; j++) {
      r -= w[j];
      if (r <= 0) return ms[j];
    }
    return ms[ms.length - 1];
  }

  /** Parameters for a trial of `method`. */
  sample(method: HyperMethod): TrialParams {
    const st = this.stats.get(method)!;
    if (st.top.length >= 2 && st.trials >= 6 && this.rand() < 0.5) {
      const base = st.top[Math.floor(this.rand() * st.top.length)].params;
      return method === 'bisection' ? this.perturbBisection(base) : this.perturbGreedy(base);
    }
    return method === 'bisection' ? this.freshBisection() : this.freshGreedy();
  }

  /** Records a trial's score (lower is better). */
  report(method: HyperMethod, params: TrialParams, score: number): void {
    const st = this.stats.get(method)!;
    st.trials++;
    if (score < st.best) st.best = score;
    if (method === 'bisection') {
      const c = Number(params.imbalance) >= 1 ? 1 : 0;
      this.peelTrials[c]++;
      if (score < this.peelBest[c]) this.peelBest[c] = score;
    }
    if (!Number.isFinite(score)) return;
    st.top.push({ score, params });
    st.top.sort((a, b) => a.score - b.score);
    if (st.top.length > TOP_KEEP) st.top.length = TOP_KEEP;
  }

  private logUniform(lo: number, hi: number): number {
    return Math.exp(Math.log(lo) + this.rand() * Math.log(hi / lo));
  }

  private gauss(): number {
    return Math.sqrt(-2 * Math.log(1 - this.rand())) * Math.cos(2 * Math.PI * this.rand());
  }

  private freshGreedy(): TrialParams {
    const fns = Object.keys(GREEDY_COST_FNS);
    return {
      costFn: fns[Math.floor(this.rand() * fns.length)],
      temperature: this.rand() < 0.2 ? 0 : this.logUniform(0.001, 1),
    };
  }

  private perturbGreedy(base: TrialParams): TrialParams {
    const t = Number(base.temperature);
    return { costFn: base.costFn, temperature: t > 0 ? t * Math.exp(0.5 * this.gauss()) : this.logUniform(0.001, 0.05) };
  }

  private freshBisection(): TrialParams {
    const r = this.rand;
    // Imbalance ≥ 1 makes a split an unconstrained min cut (only both sides non-empty): it peels
    // small low-cut branches off a stem, which suits deep circuits; smaller values give balanced trees.
    // Which kind is drawn adapts like the method choice (peeling is slow on large networks and
    // poor on shallow ones, so it should fade when it does not pay).
    let pPeel = 0.4;
    if (this.peelTrials[0] >= 2 && this.peelTrials[1] >= 2) {
      const b = Math.min(this.peelBest[0], this.peelBest[1]);
      const w0 = Math.max(0.1, Math.exp(-(this.peelBest[0] - b) / 2));
      const w1 = Math.max(0.1, Math.exp(-(this.peelBest[1] - b) / 2));
      pPeel = w1 / (w0 + w1);
    }
    const imbalance = r() < pPeel ? 1 + 0.5 * r() : this.logUniform(0.01, 1);
    return {
      imbalance,
      imbalanceDecay: r() < 0.5 ? 0 : -3 + 6 * r(),
      parts: 2 + Math.floor(r() * 7),
      partsDecay: r(),
      cutoff: 8 + Math.floor(r() * 33),
      weighting: r() < 0.5 ? 'log' : 'const',
      noise: r() < 0.5 ? 0 : this.logUniform(0.001, 0.3),
      finishTemperature: r() < 0.5 ? 0 : this.logUniform(0.001, 0.3),
    };
  }

  private perturbBisection(base: TrialParams): TrialParams {
    const g = (): number => this.gauss();
    const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
    return {
      ...base,
      imbalance: clamp(Number(base.imbalance) * Math.exp(0.3 * g()), 0.005, 2),
      imbalanceDecay: clamp(Number(base.imbalanceDecay) + 0.5 * g(), -5, 5),
      parts: clamp(Math.round(Number(base.parts) + g()), 2, 16),
      partsDecay: clamp(Number(base.partsDecay) + 0.1 * g(), 0, 1),
      cutoff: clamp(Math.round(Number(base.cutoff) + 3 * g()), 4, 60),
      noise: this.rand() < 0.3 ? 0 : clamp(Math.max(1e-3, Number(base.noise)) * Math.exp(0.5 * g()), 0, 0.5),
      finishTemperature: this.rand() < 0.3 ? 0 : clamp(Math.max(1e-3, Number(base.finishTemperature)) * Math.exp(0.5 * g()), 0, 0.5),
    };
  }
}

//! Sentence graphs and PageRank.

use super::vectors::SentenceVectors;
use super::{DAMPING, PAGERANK_MAX_ITERATIONS, PAGERANK_TOLERANCE};

/// Graphs of up to this many nodes are kept as a dense matrix: 99% of BBC
/// articles have fewer sentences, their graphs are dense, and a PageRank
/// iteration over a dense matrix is a few vector multiply-adds per column
/// where compressed rows cost an indirect load per edge.
const DENSE_LIMIT: usize = 128;

/// Rows of the dense matrix are padded to a multiple of this many columns,
/// the rows that PageRank updates together.
const LANES: usize = 8;

/// Matrices reused from one article to the next, so that a dense graph
/// costs no allocation (one per worker thread, in the engine's workspace).
#[derive(Default)]
pub struct GraphScratch {
    matrix: Vec<f64>,
    dots: Vec<f32>,
}

/// A weighted undirected graph over candidate sentences.
pub struct Graph<'s> {
    /// Sentence index of each node.
    nodes: Vec<usize>,
    weights: Weights<'s>,
}

enum Weights<'s> {
    /// Compressed rows: node `k`'s neighbours, in ascending order, are
    /// `neighbours[first[k]..first[k + 1]]`.
    Sparse {
        first: Vec<u32>,
        neighbours: Vec<(u32, f64)>,
    },
    /// Weight of edge `(j, k)` at `j * stride + k`, `0.0` where there is
    /// none; symmetric, with `stride` a multiple of [`LANES`].
    Dense { weights: &'s [f64], stride: usize },
}

impl Graph<'_> {
    /// Node `k`'s edges, for the sparse form.
    fn edges<'a>(first: &[u32], neighbours: &'a [(u32, f64)], k: usize) -> &'a [(u32, f64)] {
        &neighbours[first[k] as usize..first[k + 1] as usize]
    }
}

/// Pairwise similarity accumulated through postings: `f(i, j, dot, shared)`
/// decides the weight of the edge, or `None` for no edge. `DOT` says whether
/// `f` reads the dot product (the overlap graph needs only `shared`).
fn pairwise<'s, const DOT: bool>(
    v: &SentenceVectors,
    candidates: &[usize],
    scratch: &'s mut GraphScratch,
    edge: impl Fn(usize, usize, f32, u32) -> Option<f64>,
) -> Graph<'s> {
    let weights = if candidates.len() <= DENSE_LIMIT {
        pairwise_dense::<DOT>(v, candidates, scratch, edge)
    } else {
        pairwise_sparse::<DOT>(v, candidates, edge)
    };
    Graph {
        nodes: candidates.to_vec(),
        weights,
    }
}

/// Node number of each sentence, `u32::MAX` for non-candidates.
fn node_numbers(n: usize, candidates: &[usize]) -> Vec<u32> {
    let mut node_of = vec![u32::MAX; n];
    for (k, &i) in candidates.iter().enumerate() {
        node_of[i] = k as u32;
    }
    node_of
}

/// Every pair of candidates counted in one matrix, term by term, then
/// weighed by `edge`.
fn pairwise_dense<'s, const DOT: bool>(
    v: &SentenceVectors,
    candidates: &[usize],
    scratch: &'s mut GraphScratch,
    edge: impl Fn(usize, usize, f32, u32) -> Option<f64>,
) -> Weights<'s> {
    let m = candidates.len();
    let stride = count_dense::<DOT>(v, candidates, scratch);
    let matrix = &mut scratch.matrix;
    let dots = &scratch.dots;
    for a in 0..m {
        for b in a + 1..m {
            let shared = matrix[a * stride + b];
            if shared == 0.0 {
                continue;
            }
            let d = if DOT { dots[a * stride + b] } else { 0.0 };
            let w = edge(candidates[a], candidates[b], d, shared as u32)
                .filter(|&w| w > 0.0 && w.is_finite())
                .unwrap_or(0.0);
            matrix[a * stride + b] = w;
            matrix[b * stride + a] = w;
        }
    }
    Weights::Dense {
        weights: matrix,
        stride,
    }
}

/// The shared terms of every pair of candidates, counted in the upper
/// triangle of `scratch.matrix` (counts are exact in `f64`), and with `DOT`
/// the dot products in `scratch.dots`, term by term: a pair's products are
/// added in ascending term order, as in the sparse form, so both give the
/// same bits. Returns the matrix's stride.
fn count_dense<const DOT: bool>(
    v: &SentenceVectors,
    candidates: &[usize],
    scratch: &mut GraphScratch,
) -> usize {
    let m = candidates.len();
    let stride = m.next_multiple_of(LANES);
    let node_of = node_numbers(v.len(), candidates);
    let matrix = &mut scratch.matrix;
    matrix.clear();
    matrix.resize(m * stride, 0.0);
    let dots = &mut scratch.dots;
    dots.clear();
    if DOT {
        dots.resize(m * stride, 0.0);
    }
    let mut holders: Vec<(usize, f32)> = Vec::with_capacity(m);
    for t in 0..v.vocabulary() as u32 {
        let postings = v.postings(t);
        if postings.len() < 2 {
            continue;
        }
        holders.clear();
        holders.extend(
            postings
                .iter()
                .filter(|&&(j, _)| node_of[j as usize] != u32::MAX)
                .map(|&(j, w)| (node_of[j as usize] as usize, w)),
        );
        for (a, &(ka, wa)) in holders.iter().enumerate() {
            let row = ka * stride;
            for &(kb, wb) in &holders[a + 1..] {
                matrix[row + kb] += 1.0;
                if DOT {
                    dots[row + kb] += wa * wb;
                }
            }
        }
    }
    stride
}

/// Compressed rows for graphs too large for a matrix.
fn pairwise_sparse<const DOT: bool>(
    v: &SentenceVectors,
    candidates: &[usize],
    edge: impl Fn(usize, usize, f32, u32) -> Option<f64>,
) -> Weights<'static> {
    let n = v.len();
    let m = candidates.len();
    let node_of = node_numbers(n, candidates);
    // Edges (k, kj) with k < kj, found in ascending (k, kj) order.
    let mut found: Vec<(u32, u32, f64)> = Vec::with_capacity(4 * m);
    let mut dot = vec![0.0f32; n];
    let mut shared = vec![0u32; n];
    let mut touched = Vec::with_capacity(n);
    // Postings are in ascending sentence order and candidates are visited
    // in ascending order, so each term's postings up to the current
    // sentence are skipped once, by a cursor, instead of at every visit.
    let mut cursor = vec![0u32; v.vocabulary()];
    for (k, &i) in candidates.iter().enumerate() {
        for (t, wi) in v.row(i) {
            let postings = v.postings(t);
            let mut c = cursor[t as usize] as usize;
            while c < postings.len() && postings[c].0 as usize <= i {
                c += 1;
            }
            cursor[t as usize] = c as u32;
            for &(j, wj) in &postings[c..] {
                let j = j as usize;
                if node_of[j] == u32::MAX {
                    continue;
                }
                if shared[j] == 0 {
                    touched.push(j);
                }
                if DOT {
                    dot[j] += wi * wj;
                }
                shared[j] += 1;
            }
        }
        touched.sort_unstable();
        for &j in &touched {
            if let Some(w) = edge(i, j, dot[j], shared[j]) {
                if w > 0.0 && w.is_finite() {
                    found.push((k as u32, node_of[j], w));
                }
            }
            dot[j] = 0.0;
            shared[j] = 0;
        }
        touched.clear();
    }
    // Both directions of every edge, each node's list ascending: a node's
    // smaller neighbours come from earlier edges, its larger ones after.
    let mut first = vec![0u32; m + 1];
    for &(a, b, _) in &found {
        first[a as usize + 1] += 1;
        first[b as usize + 1] += 1;
    }
    for k in 0..m {
        first[k + 1] += first[k];
    }
    let mut fill: Vec<u32> = first[..m].to_vec();
    let mut neighbours = vec![(0u32, 0.0f64); 2 * found.len()];
    for &(a, b, w) in &found {
        neighbours[fill[b as usize] as usize] = (a, w);
        fill[b as usize] += 1;
    }
    for &(a, b, w) in &found {
        neighbours[fill[a as usize] as usize] = (b, w);
        fill[a as usize] += 1;
    }
    Weights::Sparse { first, neighbours }
}

/// TextRank's graph: `|shared| / (ln|a| + ln|b|)` over distinct content stems.
pub fn overlap_graph<'s>(
    v: &SentenceVectors,
    candidates: &[usize],
    scratch: &'s mut GraphScratch,
) -> Graph<'s> {
    let ln_length = |i: usize| (v.length(i).max(1) as f64).ln();
    if candidates.len() > DENSE_LIMIT {
        let ln: Vec<f64> = (0..v.len()).map(ln_length).collect();
        return Graph {
            nodes: candidates.to_vec(),
            weights: pairwise_sparse::<false>(v, candidates, |i, j, _, shared| {
                let den = ln[i] + ln[j];
                (den > 0.0).then(|| shared as f64 / den)
            }),
        };
    }
    let stride = count_dense::<false>(v, candidates, scratch);
    let ln: Vec<f64> = candidates.iter().map(|&i| ln_length(i)).collect();
    weigh_overlap_dense(&mut scratch.matrix, stride, &ln);
    Graph {
        nodes: candidates.to_vec(),
        weights: Weights::Dense {
            weights: &scratch.matrix,
            stride,
        },
    }
}

/// The overlap weights of a dense graph from its shared-term counts (upper
/// triangle), mirrored into the lower. Each row is computed whole, without
/// a branch, so the compiler vectorizes the divisions (a pair sharing no
/// term, or of two one-word sentences, gets 0, as the sparse form's edge
/// function decides: its weight is positive and finite otherwise, since the
/// logarithms are 0 or at least ln 2). Weighing pair by pair, with a branch
/// on each pair, made a one-thread BBC run 1.5% slower.
fn weigh_overlap_dense(matrix: &mut [f64], stride: usize, ln: &[f64]) {
    let m = ln.len();
    for a in 0..m {
        let la = ln[a];
        let row = &mut matrix[a * stride + a + 1..a * stride + m];
        for (x, &lb) in row.iter_mut().zip(&ln[a + 1..]) {
            let den = la + lb;
            let w = *x / den;
            *x = if *x > 0.0 && den > 0.0 { w } else { 0.0 };
        }
    }
    for a in 0..m {
        for b in a + 1..m {
            matrix[b * stride + a] = matrix[a * stride + b];
        }
    }
}

/// LexRank's graph: cosine similarity, edges below `threshold` dropped.
pub fn cosine_graph<'s>(
    v: &SentenceVectors,
    candidates: &[usize],
    threshold: f32,
    scratch: &'s mut GraphScratch,
) -> Graph<'s> {
    pairwise::<true>(v, candidates, scratch, |_, _, dot, _| {
        (dot >= threshold).then_some(dot as f64)
    })
}

/// Weighted PageRank; returns a score per sentence (0 for non-candidates).
///
/// Both forms of the graph give the same bits: each node gathers from its
/// neighbours in ascending order, and in the dense form the non-edges only
/// add `0.0` to a positive sum, which changes nothing.
pub fn pagerank(g: &Graph<'_>, n: usize) -> Vec<f64> {
    let m = g.nodes.len();
    let mut out = vec![0.0; n];
    if m == 0 {
        return out;
    }
    let degree: Vec<f64> = match &g.weights {
        Weights::Sparse { first, neighbours } => (0..m)
            .map(|k| {
                Graph::edges(first, neighbours, k)
                    .iter()
                    .map(|&(_, w)| w)
                    .sum()
            })
            .collect(),
        Weights::Dense { weights, stride } => (0..m)
            .map(|k| weights[k * stride..k * stride + m].iter().sum())
            .collect(),
    };
    let dangling_nodes: Vec<usize> = (0..m).filter(|&k| degree[k] == 0.0).collect();
    let padded = match &g.weights {
        Weights::Dense { stride, .. } => *stride,
        Weights::Sparse { .. } => m,
    };
    // Both hold `padded` entries; only the first `m` are nodes.
    let mut p = vec![1.0 / m as f64; padded];
    let mut next = vec![0.0; padded];
    let mut share = vec![0.0; m];
    for _ in 0..PAGERANK_MAX_ITERATIONS {
        let dangling: f64 = dangling_nodes.iter().map(|&k| p[k]).sum();
        let base = (1.0 - DAMPING) / m as f64 + DAMPING * dangling / m as f64;
        for ((s, &pk), &d) in share.iter_mut().zip(&p).zip(&degree) {
            *s = if d == 0.0 { 0.0 } else { DAMPING * pk / d };
        }
        match &g.weights {
            Weights::Sparse { first, neighbours } => {
                gather_sparse(first, neighbours, &share, base, &mut next)
            }
            Weights::Dense { weights, stride } => {
                gather_dense(weights, *stride, &share, base, &mut next)
            }
        }
        // The change from the last iteration, summed in node order.
        let delta: f64 = p[..m]
            .iter()
            .zip(&next[..m])
            .map(|(&a, &b)| (a - b).abs())
            .sum();
        std::mem::swap(&mut p, &mut next);
        if delta < PAGERANK_TOLERANCE {
            break;
        }
    }
    for (k, &i) in g.nodes.iter().enumerate() {
        out[i] = p[k];
    }
    out
}

/// `next[k] = base + Σ share[j] · w(k, j)` over `k`'s neighbours `j` in
/// ascending order.
fn gather_sparse(
    first: &[u32],
    neighbours: &[(u32, f64)],
    share: &[f64],
    base: f64,
    next: &mut [f64],
) {
    let m = share.len();
    let gather = |acc: f64, edges: &[(u32, f64)]| {
        edges
            .iter()
            .fold(acc, |acc, &(j, w)| acc + share[j as usize] * w)
    };
    // Two nodes at a time: their sums are independent chains of additions,
    // so the processor overlaps them; each still adds its own terms in the
    // same order.
    let mut k = 0;
    while k + 1 < m {
        let ea = Graph::edges(first, neighbours, k);
        let eb = Graph::edges(first, neighbours, k + 1);
        let both = ea.len().min(eb.len());
        let (mut a, mut b) = (base, base);
        for (&(ja, wa), &(jb, wb)) in ea[..both].iter().zip(&eb[..both]) {
            a += share[ja as usize] * wa;
            b += share[jb as usize] * wb;
        }
        next[k] = gather(a, &ea[both..]);
        next[k + 1] = gather(b, &eb[both..]);
        k += 2;
    }
    if k < m {
        next[k] = gather(base, Graph::edges(first, neighbours, k));
    }
}

/// The same sums over the dense matrix, [`LANES`] nodes at a time: column
/// `j` of the symmetric matrix is row `j`, so the weights of the nodes
/// updated together are contiguous, and each node still adds its terms in
/// ascending `j`. `next` has `stride` entries; those past the nodes are
/// padding.
fn gather_dense(weights: &[f64], stride: usize, share: &[f64], base: f64, next: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, checked just above.
        return unsafe { gather_dense_avx2(weights, stride, share, base, next) };
    }
    gather_dense_lanes(weights, stride, share, base, next)
}

/// [`gather_dense_lanes`] compiled for AVX2: four lanes to a register
/// instead of two. Multiplies and adds stay separate instructions (Rust
/// never fuses them), so the bits are the same as without AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn gather_dense_avx2(
    weights: &[f64],
    stride: usize,
    share: &[f64],
    base: f64,
    next: &mut [f64],
) {
    gather_dense_lanes(weights, stride, share, base, next)
}

#[inline(always)]
fn gather_dense_lanes(weights: &[f64], stride: usize, share: &[f64], base: f64, next: &mut [f64]) {
    for (block, out) in next.chunks_exact_mut(LANES).enumerate() {
        let mut acc = [base; LANES];
        let lanes = block * LANES..(block + 1) * LANES;
        for (row, &s) in weights.chunks_exact(stride).zip(share) {
            let column: &[f64; LANES] = row[lanes.clone()].try_into().expect("a block");
            for (a, &w) in acc.iter_mut().zip(column) {
                *a += s * w;
            }
        }
        out.copy_from_slice(&acc);
    }
}

/// PageRank over the full cosine graph (no threshold, no self-loops),
/// computed without building the graph: with unit vectors `x`, the edge
/// weights are `W = X Xᵀ − I`, so `W q = X (Xᵀ q) − q` costs two passes over
/// the non-zeros. Exact, and linear in the article's length.
pub fn cosine_centrality(v: &SentenceVectors, candidates: &[usize]) -> Vec<f64> {
    let m = candidates.len();
    let n = v.len();
    let mut out = vec![0.0; n];
    if m == 0 {
        return out;
    }
    let self_sim: Vec<f64> = candidates
        .iter()
        .map(|&i| v.row(i).map(|(_, w)| (w * w) as f64).sum())
        .collect();
    let mut y = vec![0.0f64; v.vocabulary()];
    let times_x = |q: &[f64], y: &mut Vec<f64>, out: &mut Vec<f64>| {
        y.iter_mut().for_each(|x| *x = 0.0);
        for (k, &i) in candidates.iter().enumerate() {
            if q[k] != 0.0 {
                for (t, w) in v.row(i) {
                    y[t as usize] += q[k] * w as f64;
                }
            }
        }
        out.clear();
        for (k, &i) in candidates.iter().enumerate() {
            let dot: f64 = v.row(i).map(|(t, w)| w as f64 * y[t as usize]).sum();
            out.push((dot - q[k] * self_sim[k]).max(0.0));
        }
    };
    let mut degree = Vec::with_capacity(m);
    times_x(&vec![1.0; m], &mut y, &mut degree);
    let mut p = vec![1.0 / m as f64; m];
    let mut q = vec![0.0; m];
    let mut wq = Vec::with_capacity(m);
    for _ in 0..PAGERANK_MAX_ITERATIONS {
        let mut dangling = 0.0;
        for k in 0..m {
            if degree[k] > 1e-12 {
                q[k] = p[k] / degree[k];
            } else {
                q[k] = 0.0;
                dangling += p[k];
            }
        }
        times_x(&q, &mut y, &mut wq);
        let base = (1.0 - DAMPING) / m as f64 + DAMPING * dangling / m as f64;
        let mut delta = 0.0;
        for k in 0..m {
            let next = base + DAMPING * wq[k];
            delta += (next - p[k]).abs();
            p[k] = next;
        }
        if delta < PAGERANK_TOLERANCE {
            break;
        }
    }
    for (k, &i) in candidates.iter().enumerate() {
        out[i] = p[k];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Engine, EngineConfig};
    use crate::summarize::IdfSource;

    /// The vectors of a sample article that ships with the repository.
    fn vectors(name: &str) -> SentenceVectors {
        let path = format!("{}/samples/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("a sample article");
        let engine = Engine::new(EngineConfig::default());
        let p = engine.prepare(&text, &mut engine.workspace());
        SentenceVectors::build(&p.terms, &p.vocabulary, &p.term_ranges, &IdfSource::Local)
    }

    fn both_forms<const DOT: bool>(
        v: &SentenceVectors,
        candidates: &[usize],
        edge: impl Fn(usize, usize, f32, u32) -> Option<f64> + Copy,
    ) -> (Vec<u64>, Vec<u64>) {
        let mut scratch = GraphScratch::default();
        let dense = Graph {
            nodes: candidates.to_vec(),
            weights: pairwise_dense::<DOT>(v, candidates, &mut scratch, edge),
        };
        let sparse = Graph {
            nodes: candidates.to_vec(),
            weights: pairwise_sparse::<DOT>(v, candidates, edge),
        };
        assert!(matches!(dense.weights, Weights::Dense { .. }));
        let bits = |g: &Graph<'_>| pagerank(g, v.len()).iter().map(|x| x.to_bits()).collect();
        (bits(&dense), bits(&sparse))
    }

    #[test]
    fn dense_and_sparse_graphs_give_the_same_bits() {
        for name in [
            "01_warm_summit.txt",
            "04_talks_stall.txt",
            "07_quotes_abbreviations.txt",
        ] {
            let v = vectors(name);
            // Every sentence but the first (the title), and every other one.
            let all: Vec<usize> = (1..v.len()).collect();
            let odd: Vec<usize> = (1..v.len()).step_by(2).collect();
            for candidates in [&all, &odd] {
                let ln: Vec<f64> = (0..v.len())
                    .map(|i| (v.length(i).max(1) as f64).ln())
                    .collect();
                let overlap = |i: usize, j: usize, _: f32, shared: u32| {
                    let den = ln[i] + ln[j];
                    (den > 0.0).then(|| shared as f64 / den)
                };
                let (dense, sparse) = both_forms::<false>(&v, candidates, overlap);
                assert_eq!(dense, sparse, "{name}: overlap");
                // The overlap graph's own dense weighing gives the same bits.
                let mut scratch = GraphScratch::default();
                let own = overlap_graph(&v, candidates, &mut scratch);
                assert!(matches!(own.weights, Weights::Dense { .. }));
                let own: Vec<u64> = pagerank(&own, v.len())
                    .iter()
                    .map(|x| x.to_bits())
                    .collect();
                assert_eq!(own, sparse, "{name}: overlap, own weighing");
                let scored = dense.iter().filter(|&&s| f64::from_bits(s) > 0.0).count();
                assert_eq!(scored, candidates.len(), "{name}");
                let cosine =
                    |_: usize, _: usize, dot: f32, _: u32| (dot >= 0.1).then_some(dot as f64);
                let (dense, sparse) = both_forms::<true>(&v, candidates, cosine);
                assert_eq!(dense, sparse, "{name}: cosine");
            }
        }
    }
}

//! Sentence graphs and PageRank.

use super::vectors::SentenceVectors;
use super::{DAMPING, PAGERANK_MAX_ITERATIONS, PAGERANK_TOLERANCE};

/// A weighted undirected graph over candidate sentences, in compressed rows:
/// node `k`'s neighbours, in ascending order, are
/// `neighbours[first[k]..first[k + 1]]`.
pub struct Graph {
    /// Sentence index of each node.
    nodes: Vec<usize>,
    first: Vec<u32>,
    neighbours: Vec<(u32, f64)>,
}

impl Graph {
    fn edges(&self, k: usize) -> &[(u32, f64)] {
        &self.neighbours[self.first[k] as usize..self.first[k + 1] as usize]
    }
}

/// Pairwise similarity accumulated through postings: `f(i, j, dot, shared)`
/// decides the weight of the edge, or `None` for no edge. `DOT` says whether
/// `f` reads the dot product (the overlap graph needs only `shared`).
fn pairwise<const DOT: bool>(
    v: &SentenceVectors,
    candidates: &[usize],
    edge: impl Fn(usize, usize, f32, u32) -> Option<f64>,
) -> Graph {
    let n = v.len();
    let m = candidates.len();
    let mut node_of = vec![u32::MAX; n];
    for (k, &i) in candidates.iter().enumerate() {
        node_of[i] = k as u32;
    }
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
    Graph {
        nodes: candidates.to_vec(),
        first,
        neighbours,
    }
}

/// TextRank's graph: `|shared| / (ln|a| + ln|b|)` over distinct content stems.
pub fn overlap_graph(v: &SentenceVectors, candidates: &[usize]) -> Graph {
    let ln_length: Vec<f64> = (0..v.len())
        .map(|i| (v.length(i).max(1) as f64).ln())
        .collect();
    pairwise::<false>(v, candidates, |i, j, _, shared| {
        let den = ln_length[i] + ln_length[j];
        (den > 0.0).then(|| shared as f64 / den)
    })
}

/// LexRank's graph: cosine similarity, edges below `threshold` dropped.
pub fn cosine_graph(v: &SentenceVectors, candidates: &[usize], threshold: f32) -> Graph {
    pairwise::<true>(v, candidates, |_, _, dot, _| {
        (dot >= threshold).then_some(dot as f64)
    })
}

/// Weighted PageRank; returns a score per sentence (0 for non-candidates).
pub fn pagerank(g: &Graph, n: usize) -> Vec<f64> {
    let m = g.nodes.len();
    let mut out = vec![0.0; n];
    if m == 0 {
        return out;
    }
    let degree: Vec<f64> = (0..m)
        .map(|k| g.edges(k).iter().map(|&(_, w)| w).sum())
        .collect();
    let dangling_nodes: Vec<usize> = (0..m).filter(|&k| degree[k] == 0.0).collect();
    let mut p = vec![1.0 / m as f64; m];
    let mut next = vec![0.0; m];
    let mut share = vec![0.0; m];
    for _ in 0..PAGERANK_MAX_ITERATIONS {
        let dangling: f64 = dangling_nodes.iter().map(|&k| p[k]).sum();
        let base = (1.0 - DAMPING) / m as f64 + DAMPING * dangling / m as f64;
        for ((s, &pk), &d) in share.iter_mut().zip(&p).zip(&degree) {
            *s = if d == 0.0 { 0.0 } else { DAMPING * pk / d };
        }
        // Each node gathers from its neighbours (the graph is symmetric and
        // each list ascending), which adds the same terms in the same order
        // as scattering from every node in turn, with sequential writes.
        // The change from the last iteration is summed on the way, in the
        // same order as a separate pass would.
        // Two nodes at a time: their sums are independent chains of
        // additions, so the processor overlaps them; each still adds its
        // own terms in the same order.
        let gather = |acc: f64, edges: &[(u32, f64)]| {
            edges
                .iter()
                .fold(acc, |acc, &(j, w)| acc + share[j as usize] * w)
        };
        let mut delta = 0.0;
        let mut k = 0;
        while k + 1 < m {
            let (ea, eb) = (g.edges(k), g.edges(k + 1));
            let both = ea.len().min(eb.len());
            let (mut a, mut b) = (base, base);
            for (&(ja, wa), &(jb, wb)) in ea[..both].iter().zip(&eb[..both]) {
                a += share[ja as usize] * wa;
                b += share[jb as usize] * wb;
            }
            let (a, b) = (gather(a, &ea[both..]), gather(b, &eb[both..]));
            next[k] = a;
            next[k + 1] = b;
            delta += (p[k] - a).abs();
            delta += (p[k + 1] - b).abs();
            k += 2;
        }
        if k < m {
            let a = gather(base, g.edges(k));
            next[k] = a;
            delta += (p[k] - a).abs();
        }
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

//! Sparse TF-IDF vectors of an article's sentences, on local term indices.

use std::cell::RefCell;
use std::ops::Range;

use crate::corpus::{idf, DocFreqs};
use crate::tokenize::TermId;

/// Where IDF comes from.
#[derive(Clone, Copy, Debug)]
pub enum IdfSource<'a> {
    /// The article's own sentences are the documents.
    Local,
    /// A corpus or a saved model.
    Corpus(&'a DocFreqs),
}

/// MMR's redundancy update skips terms found in more sentences than this,
/// so that it stays linear on very long documents; such terms have the
/// lowest IDF and barely move a cosine.
const MMR_POSTINGS_LIMIT: usize = 512;

/// Every sentence's vector in one compressed-row table, plus postings.
pub struct SentenceVectors {
    /// `offsets[i]..offsets[i + 1]` are sentence `i`'s entries.
    offsets: Vec<u32>,
    /// Local term index of each entry, ascending within a sentence.
    terms: Vec<u32>,
    /// L2-normalised TF-IDF weight of each entry.
    weights: Vec<f32>,
    /// IDF of each local term.
    idf: Vec<f32>,
    /// Occurrences of each local term in the article.
    article_tf: Vec<f32>,
    /// Content words in each sentence.
    lengths: Vec<u32>,
    /// For each local term, the (sentence, weight) pairs that hold it.
    post_offsets: Vec<u32>,
    post_entries: Vec<(u32, f32)>,
    scratch: RefCell<Vec<f32>>,
}

impl SentenceVectors {
    /// Builds the vectors of each sentence from its content terms, given as
    /// local numbers (`terms[sentences[i]]`, see [`TermNumbering`]) of the
    /// article's `vocabulary`.
    ///
    /// [`TermNumbering`]: super::TermNumbering
    pub fn build(
        terms: &[u32],
        vocabulary: &[TermId],
        sentences: &[Range<u32>],
        source: &IdfSource<'_>,
    ) -> SentenceVectors {
        let n = sentences.len();
        let vocab = vocabulary.len();
        let longest = sentences
            .iter()
            .map(|r| (r.end - r.start) as usize)
            .max()
            .unwrap_or(0);
        let mut article_tf = vec![0.0f32; vocab];
        // Sized up front from the number of terms (an upper bound on a
        // sentence's distinct terms): growing them was a third of the cost.
        let mut offsets = Vec::with_capacity(n + 1);
        let mut entries = Vec::with_capacity(terms.len());
        let mut counts: Vec<f32> = Vec::with_capacity(terms.len());
        let mut lengths = Vec::with_capacity(n);
        // A sentence's distinct terms, ascending, with their counts: tallied
        // per term and marked in a bit set over the article's vocabulary,
        // then read off the set's words from the lowest marked to the
        // highest. Sorting each sentence's terms instead was a quarter of
        // this function. When the marked words span much more than the
        // sentence's length (a long document's sentence that mixes early
        // and late terms), its terms are sorted, so the cost stays linear.
        let mut tally = vec![0u32; vocab];
        let mut marked = vec![0u64; vocab.div_ceil(64)];
        let mut buf: Vec<u32> = Vec::with_capacity(longest);
        offsets.push(0u32);
        for range in sentences {
            let sentence = &terms[range.start as usize..range.end as usize];
            lengths.push(sentence.len() as u32);
            let (mut lo, mut hi) = (usize::MAX, 0);
            for &t in sentence {
                let t = t as usize;
                article_tf[t] += 1.0;
                tally[t] += 1;
                marked[t / 64] |= 1 << (t % 64);
                lo = lo.min(t / 64);
                hi = hi.max(t / 64);
            }
            if lo > hi {
                // No terms.
            } else if hi - lo <= 2 * sentence.len() {
                for (w, word) in marked[lo..=hi].iter_mut().enumerate() {
                    let mut bits = std::mem::take(word);
                    while bits != 0 {
                        let t = (lo + w) * 64 + bits.trailing_zeros() as usize;
                        entries.push(t as u32);
                        counts.push(std::mem::take(&mut tally[t]) as f32);
                        bits &= bits - 1;
                    }
                }
            } else {
                buf.clear();
                buf.extend_from_slice(sentence);
                buf.sort_unstable();
                buf.dedup();
                for &t in &buf {
                    let t = t as usize;
                    entries.push(t as u32);
                    counts.push(std::mem::take(&mut tally[t]) as f32);
                    marked[t / 64] = 0;
                }
            }
            offsets.push(entries.len() as u32);
        }
        let terms = entries;
        // Document frequency over sentences, for local IDF and postings.
        let mut sent_df = vec![0u32; vocab];
        for &t in &terms {
            sent_df[t as usize] += 1;
        }
        let idf: Vec<f32> = match source {
            IdfSource::Local => sent_df.iter().map(|&df| idf(df as u64, n as u64)).collect(),
            IdfSource::Corpus(stats) => stats.idfs(vocabulary),
        };
        let mut weights: Vec<f32> = terms
            .iter()
            .zip(&counts)
            .map(|(&t, &c)| c * idf[t as usize])
            .collect();
        for i in 0..n {
            let r = offsets[i] as usize..offsets[i + 1] as usize;
            let norm = weights[r.clone()].iter().map(|w| w * w).sum::<f32>().sqrt();
            if norm > 0.0 {
                for w in &mut weights[r] {
                    *w /= norm;
                }
            }
        }
        let mut post_offsets = Vec::with_capacity(vocab + 1);
        post_offsets.push(0u32);
        let mut acc = 0u32;
        for &df in &sent_df {
            acc += df;
            post_offsets.push(acc);
        }
        let mut fill: Vec<u32> = post_offsets[..vocab].to_vec();
        let mut post_entries = vec![(0u32, 0f32); terms.len()];
        for i in 0..n {
            for k in offsets[i] as usize..offsets[i + 1] as usize {
                let t = terms[k] as usize;
                post_entries[fill[t] as usize] = (i as u32, weights[k]);
                fill[t] += 1;
            }
        }
        SentenceVectors {
            offsets,
            terms,
            weights,
            idf,
            article_tf,
            lengths,
            post_offsets,
            post_entries,
            scratch: RefCell::new(vec![0.0; n]),
        }
    }

    /// Number of sentences.
    pub fn len(&self) -> usize {
        self.lengths.len()
    }

    /// Whether there are no sentences.
    pub fn is_empty(&self) -> bool {
        self.lengths.is_empty()
    }

    /// Number of distinct content terms in the article.
    pub fn vocabulary(&self) -> usize {
        self.idf.len()
    }

    /// Sentence `i`'s (term, weight) entries.
    pub(crate) fn row(&self, i: usize) -> impl Iterator<Item = (u32, f32)> + '_ {
        let r = self.offsets[i] as usize..self.offsets[i + 1] as usize;
        self.terms[r.clone()]
            .iter()
            .copied()
            .zip(self.weights[r].iter().copied())
    }

    /// Content words of sentence `i`.
    pub(crate) fn length(&self, i: usize) -> u32 {
        self.lengths[i]
    }

    /// The sentences holding term `t`, with their weights.
    pub(crate) fn postings(&self, t: u32) -> &[(u32, f32)] {
        &self.post_entries
            [self.post_offsets[t as usize] as usize..self.post_offsets[t as usize + 1] as usize]
    }

    /// `Σ tf_article(t)·idf(t) / sqrt(n)` over each sentence's distinct terms.
    pub fn tfidf_scores(&self) -> Vec<f64> {
        (0..self.len())
            .map(|i| {
                let sum: f64 = self
                    .row(i)
                    .map(|(t, _)| (self.article_tf[t as usize] * self.idf[t as usize]) as f64)
                    .sum();
                sum / (self.lengths[i].max(1) as f64).sqrt()
            })
            .collect()
    }

    /// Cosine of each sentence with the TF-IDF centroid of the candidates.
    pub fn centroid_scores(&self, candidates: &[usize]) -> Vec<f64> {
        let mut centroid = vec![0.0f64; self.vocabulary()];
        for &i in candidates {
            for (t, w) in self.row(i) {
                centroid[t as usize] += w as f64;
            }
        }
        let norm = centroid
            .iter()
            .map(|c| c * c)
            .sum::<f64>()
            .sqrt()
            .max(f64::MIN_POSITIVE);
        (0..self.len())
            .map(|i| {
                self.row(i)
                    .map(|(t, w)| w as f64 * centroid[t as usize])
                    .sum::<f64>()
                    / norm
            })
            .collect()
    }

    /// Cosine of every sentence with sentence `q`.
    pub fn similarity_to(&self, q: usize) -> Vec<f32> {
        let mut out = vec![0.0f32; self.len()];
        for (t, wq) in self.row(q) {
            for &(j, wj) in self.postings(t) {
                out[j as usize] += wq * wj;
            }
        }
        out
    }

    /// Raises `max_sim[j]` to the cosine of `j` with the newly picked `i`.
    pub fn update_max_similarity(&self, i: usize, max_sim: &mut [f32]) {
        let mut acc = self.scratch.borrow_mut();
        let mut touched: Vec<u32> = Vec::new();
        for (t, wi) in self.row(i) {
            let postings = self.postings(t);
            if postings.len() > MMR_POSTINGS_LIMIT {
                continue;
            }
            for &(j, wj) in postings {
                if acc[j as usize] == 0.0 {
                    touched.push(j);
                }
                acc[j as usize] += wi * wj;
            }
        }
        for j in touched {
            let j = j as usize;
            max_sim[j] = max_sim[j].max(acc[j]);
            acc[j] = 0.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows as a sort of each sentence's terms gives them: distinct terms,
    /// ascending, each weighted by its count times its IDF, normalised.
    fn sorted_rows(
        v: &SentenceVectors,
        terms: &[u32],
        sentences: &[Range<u32>],
    ) -> Vec<Vec<(u32, f32)>> {
        sentences
            .iter()
            .map(|r| {
                let mut counts = std::collections::BTreeMap::new();
                for &t in &terms[r.start as usize..r.end as usize] {
                    *counts.entry(t).or_insert(0.0f32) += 1.0;
                }
                let raw: Vec<(u32, f32)> = counts
                    .iter()
                    .map(|(&t, &c)| (t, c * v.idf[t as usize]))
                    .collect();
                let norm = raw.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
                raw.into_iter().map(|(t, w)| (t, w / norm)).collect()
            })
            .collect()
    }

    #[test]
    fn rows_are_distinct_ascending_terms_with_counts_on_either_path() {
        // 1,000 local terms. Sentence 1 mixes terms 64 words of the bit set
        // apart with three occurrences (the sorting path); the others span
        // a few words (the bit-set path), with repeats and a term in the
        // set's last word.
        let vocabulary: Vec<TermId> = (0..1000u64).map(|k| k * 7919 + 1).collect();
        let terms: Vec<u32> = vec![
            5, 3, 5, 64, 3, 5, // sentence 0
            999, 0, 999, // sentence 1
            // sentence 2 has no terms
            130, 129, 128, 191, 130, // sentence 3
        ];
        let sentences = [0..6, 6..9, 9..9, 9..14];
        let v = SentenceVectors::build(&terms, &vocabulary, &sentences, &IdfSource::Local);
        let got: Vec<Vec<(u32, f32)>> = (0..4).map(|i| v.row(i).collect()).collect();
        let terms_of = |row: &Vec<(u32, f32)>| row.iter().map(|&(t, _)| t).collect::<Vec<_>>();
        assert_eq!(terms_of(&got[0]), [3, 5, 64]);
        assert_eq!(terms_of(&got[1]), [0, 999]);
        assert!(got[2].is_empty());
        assert_eq!(terms_of(&got[3]), [128, 129, 130, 191]);
        assert_eq!(got, sorted_rows(&v, &terms, &sentences));
        assert_eq!(v.article_tf[5], 3.0);
        assert_eq!(v.article_tf[999], 2.0);
        assert_eq!(v.postings(999), &[(1, got[1][1].1)]);
        assert_eq!(
            (0..4).map(|i| v.length(i)).collect::<Vec<_>>(),
            [6, 3, 0, 5]
        );
    }
}

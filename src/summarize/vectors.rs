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
        let mut buf: Vec<u32> = Vec::with_capacity(longest);
        offsets.push(0u32);
        for range in sentences {
            let sentence = &terms[range.start as usize..range.end as usize];
            for &t in sentence {
                article_tf[t as usize] += 1.0;
            }
            lengths.push(sentence.len() as u32);
            buf.clear();
            buf.extend_from_slice(sentence);
            buf.sort_unstable();
            let mut k = 0;
            while k < buf.len() {
                let id = buf[k];
                let mut c = 0;
                while k < buf.len() && buf[k] == id {
                    c += 1;
                    k += 1;
                }
                entries.push(id);
                counts.push(c as f32);
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
            IdfSource::Corpus(stats) => vocabulary.iter().map(|&g| stats.idf(g)).collect(),
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

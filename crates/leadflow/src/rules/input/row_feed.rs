//! A [`RowBatch`] filled and scored in chunks: while the host reads records
//! (with its interpreter lock held, for Python), a background thread scores
//! the chunks already read, so reading and scoring overlap instead of running
//! one after the other.

use std::sync::mpsc::{self, Sender};
use std::thread::{self, JoinHandle};

use crate::rules::input::rows::{RowBatch, RowScores};
use crate::rules::input::schema::InputOptions;
use crate::rules::pack::CompiledPack;
use crate::time::Timestamp;

/// Records per chunk: large enough that per-chunk costs (a new batch, a
/// channel send, rayon's split) vanish, small enough that the last chunk,
/// which cannot overlap with reading, is scored in well under a millisecond.
pub const CHUNK_ROWS: usize = 4096;

type Worker = (Sender<RowBatch>, JoinHandle<Vec<RowScores>>);

/// Where full chunks go.
#[derive(Debug)]
enum Scorer {
    /// No full chunk yet: a batch smaller than one chunk is scored on the
    /// calling thread, with no thread to start.
    Idle,
    Thread(Worker),
    /// The thread could not be started: chunks are scored as they fill up.
    Inline(Vec<RowScores>),
}

/// Row batches of one pack and `now`, scored chunk by chunk.
///
/// Host protocol: fill [`batch`](Self::batch) one record at a time as
/// [`RowBatch`] describes, call [`end_record`](Self::end_record) after each
/// record, then [`finish`](Self::finish). The results are one [`RowScores`]
/// per chunk, in input order, exactly as one [`RowBatch`] over every record
/// would give them.
#[derive(Debug)]
pub struct RowFeed {
    pack: CompiledPack,
    now: Timestamp,
    explain: bool,
    opts: InputOptions,
    chunk: usize,
    batch: RowBatch,
    scorer: Scorer,
}

impl RowFeed {
    /// A feed of [`CHUNK_ROWS`]-record chunks.
    pub fn new(pack: &CompiledPack, now: Timestamp, explain: bool) -> Self {
        Self::with_chunk(pack, now, explain, CHUNK_ROWS)
    }

    /// A feed of `chunk`-record chunks (at least one record each).
    pub fn with_chunk(pack: &CompiledPack, now: Timestamp, explain: bool, chunk: usize) -> Self {
        Self::with_options(pack, now, explain, &InputOptions::default(), chunk)
    }

    /// A feed whose records' keys read as `opts` says
    /// ([`RowBatch::with_options`]), in `chunk`-record chunks.
    pub fn with_options(
        pack: &CompiledPack,
        now: Timestamp,
        explain: bool,
        opts: &InputOptions,
        chunk: usize,
    ) -> Self {
        RowFeed {
            pack: pack.clone(),
            now,
            explain,
            opts: opts.clone(),
            chunk: chunk.max(1),
            batch: RowBatch::with_options(pack, now, explain, opts),
            scorer: Scorer::Idle,
        }
    }

    /// The batch the current record goes to. Every chunk's batch has the same
    /// [`keys`](RowBatch::keys), so a host may map key names to indexes once.
    pub fn batch(&mut self) -> &mut RowBatch {
        &mut self.batch
    }

    /// Ends a record (added to [`batch`](Self::batch) on either path): a full
    /// chunk goes to the scoring thread.
    pub fn end_record(&mut self) {
        if self.batch.len() < self.chunk {
            return;
        }
        let next = RowBatch::with_options(&self.pack, self.now, self.explain, &self.opts);
        let full = std::mem::replace(&mut self.batch, next);
        // A send fails only when the thread is gone (it panicked): `finish`
        // joins it and re-raises that panic.
        match &mut self.scorer {
            Scorer::Thread((tx, _)) => {
                let _ = tx.send(full);
            }
            Scorer::Inline(done) => done.push(full.score_split()),
            Scorer::Idle => {
                self.scorer = match spawn() {
                    Some((tx, handle)) => {
                        let _ = tx.send(full);
                        Scorer::Thread((tx, handle))
                    }
                    None => Scorer::Inline(vec![full.score_split()]),
                };
            }
        }
    }

    /// Scores what is left and waits for every chunk: one [`RowScores`] per
    /// chunk, in input order. Call it without the host's interpreter lock.
    ///
    /// A panic on the scoring thread resumes on the calling thread, where the
    /// host's panic guard turns it into an error, as for work done inline.
    pub fn finish(self) -> Vec<RowScores> {
        let RowFeed { batch, scorer, .. } = self;
        match scorer {
            Scorer::Idle => vec![batch.score_split()],
            Scorer::Inline(mut done) => {
                if !batch.is_empty() {
                    done.push(batch.score_split());
                }
                done
            }
            Scorer::Thread((tx, handle)) => {
                if !batch.is_empty() {
                    let _ = tx.send(batch);
                }
                drop(tx);
                handle
                    .join()
                    .unwrap_or_else(|payload| std::panic::resume_unwind(payload))
            }
        }
    }
}

/// The scoring thread: scores each batch it receives, in order, until the
/// feed drops its sender. Scoring a batch uses rayon's pool as usual.
fn spawn() -> Option<Worker> {
    let (tx, rx) = mpsc::channel::<RowBatch>();
    thread::Builder::new()
        .name("leadflow-row-feed".to_owned())
        .spawn(move || rx.into_iter().map(RowBatch::score_split).collect())
        .ok()
        .map(|handle| (tx, handle))
}

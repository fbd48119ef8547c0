//! SQLite writers of this process take turns here, first come first served, before
//! `BEGIN IMMEDIATE`.
//!
//! SQLite has one writer at a time. Without this queue a second writer's `BEGIN IMMEDIATE` waits
//! in SQLite's busy handler, which polls by sleeping 1, 2, 5, 10 … up to 100 ms between tries: it
//! wakes long after the lock was freed, and whoever happens to try at the right moment goes
//! first. Under 16 clients recording at once that made most of the time spent waiting idle and
//! the slowest POSTs wait hundreds of milliseconds (BENCHMARKS.md, issue 19). Here the next
//! writer in line is woken the moment the previous one commits, in the order they arrived.
//!
//! One queue serves the whole process, not one per database file: a server opens one database,
//! and the commands that open a second file (backup, restore, encrypt) do not write to both at
//! once from different threads. A writer already holding its turn (a write transaction opened
//! inside another on the same thread) does not queue again. Writers in other processes (a
//! command run beside the server) still meet at SQLite's own lock and busy timeout.
//! PostgreSQL writers do not queue: they lock only the rows they change.

use std::cell::Cell;
use std::sync::{Condvar, Mutex, PoisonError};

/// The ticket counters of a first-come-first-served lock.
struct Queue {
    tickets: Mutex<Tickets>,
    turn_changed: Condvar,
}

#[derive(Default)]
struct Tickets {
    /// The ticket the next writer to arrive takes.
    next: u64,
    /// The ticket whose holder may write now.
    serving: u64,
}

static QUEUE: Queue = Queue {
    tickets: Mutex::new(Tickets {
        next: 0,
        serving: 0,
    }),
    turn_changed: Condvar::new(),
};

thread_local! {
    /// Whether this thread holds the turn (so a nested write transaction does not wait on itself).
    static HOLDS_TURN: Cell<bool> = const { Cell::new(false) };
}

/// This thread's turn to write; the next writer's turn starts when it is dropped, whether the
/// transaction committed, rolled back or panicked.
pub struct Turn {
    owned: bool,
}

/// Waits until every writer that arrived earlier has finished, then returns this writer's turn.
pub fn wait_for_turn() -> Turn {
    if HOLDS_TURN.get() {
        return Turn { owned: false };
    }
    // The counters are only ever changed under the mutex and never left half-changed, so a
    // poisoned mutex (a panic elsewhere while it was held) still holds consistent counters.
    let mut tickets = QUEUE.tickets.lock().unwrap_or_else(PoisonError::into_inner);
    let mine = tickets.next;
    tickets.next += 1;
    while tickets.serving != mine {
        tickets = QUEUE
            .turn_changed
            .wait(tickets)
            .unwrap_or_else(PoisonError::into_inner);
    }
    HOLDS_TURN.set(true);
    Turn { owned: true }
}

impl Drop for Turn {
    fn drop(&mut self) {
        if !self.owned {
            return;
        }
        HOLDS_TURN.set(false);
        let mut tickets = QUEUE.tickets.lock().unwrap_or_else(PoisonError::into_inner);
        tickets.serving += 1;
        drop(tickets);
        // Every waiter checks whether the turn is now its own; the rest wait again.
        QUEUE.turn_changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn one_writer_at_a_time_and_a_nested_turn_does_not_wait_on_itself() {
        let inside = Arc::new(AtomicUsize::new(0));
        let most_inside = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let inside = Arc::clone(&inside);
                let most_inside = Arc::clone(&most_inside);
                std::thread::spawn(move || {
                    for _ in 0..200 {
                        let _turn = wait_for_turn();
                        let _nested = wait_for_turn();
                        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                        most_inside.fetch_max(now, Ordering::SeqCst);
                        std::hint::spin_loop();
                        inside.fetch_sub(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for thread in threads {
            assert!(thread.join().is_ok());
        }
        assert_eq!(most_inside.load(Ordering::SeqCst), 1);
        assert!(!HOLDS_TURN.get());
    }

    #[test]
    fn a_lone_write_statement_waits_for_the_writer_holding_the_turn() {
        use diesel::Connection as _;
        use std::sync::atomic::AtomicBool;
        let open = || {
            crate::db::DbConn::Sqlite(
                diesel::SqliteConnection::establish(":memory:").unwrap_or_else(|e| panic!("{e}")),
            )
        };
        let ran = Arc::new(AtomicBool::new(false));
        let turn = wait_for_turn();
        // Inside its own turn a thread's lone statement does not wait on itself.
        assert_eq!(
            crate::db::write_statement(&mut open(), |c| crate::db::ping(c).map(|()| 7)),
            Ok(7)
        );
        let (starting, started) = std::sync::mpsc::channel();
        let other = std::thread::spawn({
            let ran = Arc::clone(&ran);
            move || {
                let mut conn = open();
                let _ = starting.send(());
                crate::db::write_statement(&mut conn, |c| {
                    ran.store(true, Ordering::SeqCst);
                    crate::db::ping(c)
                })
            }
        });
        // Had the statement not queued, it would have run within the 100 ms since its thread
        // said it was about to.
        assert_eq!(started.recv().ok(), Some(()));
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(
            !ran.load(Ordering::SeqCst),
            "ran while another writer held the turn"
        );
        drop(turn);
        assert_eq!(other.join().ok(), Some(Ok(())));
        assert!(ran.load(Ordering::SeqCst));
    }
}

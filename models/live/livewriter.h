#pragma once

#include "store/detailcodec.h"
#include "trace/span.h"

#include <QSet>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

class QThread;

namespace spanscope {

// What the writer did since the last takeActivity(): for throttled notifications.
struct LiveWriterActivity {
    qint64 committedSpans = 0;     // spans in transactions that committed
    qint64 commits = 0;            // transactions
    qint64 failedSpans = 0;        // spans whose transaction failed (their senders were told)
    QSet<QString> touchedTraces;   // trace ids with spans in those transactions
    QString lastError;             // the last store error, if any
};

// The one thread that writes live spans into the workspace. It owns its TraceStore connection and
// commits in groups: everything queued while the previous transaction ran goes into the next one,
// up to maxSpansPerCommit spans. A submission's completion runs only after the transaction
// holding its spans committed (WAL, synchronous=NORMAL: a committed transaction survives the
// process being killed), which is what makes "200 only after commit" hold for the receiver.
class LiveWriter
{
public:
    struct Options {
        QString workspacePath;
        int maxSpansPerCommit = 5000;
    };
    // Called on the writer thread once the submission's spans are durable (ok) or failed.
    using Completion = std::function<void(bool ok, const QString &error)>;

    explicit LiveWriter(Options options);
    ~LiveWriter();   // stop()
    LiveWriter(const LiveWriter &) = delete;
    LiveWriter &operator=(const LiveWriter &) = delete;

    // Opens the workspace on the writer thread; false (and *error) when it cannot be opened.
    bool start(QString *error = nullptr);
    // Commits everything already queued, runs its completions, closes the workspace. Idempotent.
    void stop();
    bool isRunning() const { return m_running.load(); }
    QString workspacePath() const { return m_options.workspacePath; }

    // Thread-safe. Queues spans for the next group commit. Empty lists complete at once (ok).
    // Returns false (and does not call `done`) when the writer is not running. The spans' detail
    // documents are encoded here, on the caller's thread (the receiver's decode pool): the one
    // writer thread was the ingest's bottleneck with a core to spare.
    bool submit(SpanList &&spans, Completion done);

    // Spans queued and not yet committed (for overload decisions).
    qint64 pendingSpans() const { return m_pendingSpans.load(); }
    qint64 totalCommittedSpans() const { return m_totalCommitted.load(); }

    // Thread-safe: what happened since the previous call.
    LiveWriterActivity takeActivity();

private:
    struct Item {
        SpanList spans;
        QList<EncodedDetail> details;  // one per span, in the same order
        Completion done;
    };
    void run(std::function<void(bool, QString)> opened);

    Options m_options;
    QThread *m_thread = nullptr;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Item> m_queue;
    qint64 m_queuedSpans = 0;           // guarded by m_mutex
    bool m_stopping = false;            // guarded by m_mutex
    std::atomic_bool m_running{false};
    std::atomic<qint64> m_pendingSpans{0};
    std::atomic<qint64> m_totalCommitted{0};

    std::mutex m_activityMutex;
    LiveWriterActivity m_activity;
};

} // namespace spanscope

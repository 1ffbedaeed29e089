#include "livewriter.h"

#include "store/tracestore.h"

#include <QCoreApplication>
#include <QThread>

#include <future>

namespace spanscope {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("spanscope::LiveWriter", text);
}
} // namespace

LiveWriter::LiveWriter(Options options)
    : m_options(std::move(options))
{
}

LiveWriter::~LiveWriter()
{
    stop();
}

bool LiveWriter::start(QString *error)
{
    if (m_thread)
        return m_running.load();
    {
        std::lock_guard lock(m_mutex);
        m_stopping = false;
    }
    auto opened = std::make_shared<std::promise<std::pair<bool, QString>>>();
    std::future<std::pair<bool, QString>> result = opened->get_future();
    m_thread = QThread::create([this, opened] {
        run([opened](bool ok, QString message) { opened->set_value({ok, std::move(message)}); });
    });
    m_thread->setObjectName(QStringLiteral("LiveWriter"));
    m_thread->start();
    const auto [ok, message] = result.get();
    if (!ok) {
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
        if (error)
            *error = message;
        return false;
    }
    return true;
}

void LiveWriter::stop()
{
    if (!m_thread)
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
}

bool LiveWriter::submit(SpanList &&spans, Completion done)
{
    if (!m_running.load())
        return false;
    if (spans.isEmpty()) {
        if (done)
            done(true, QString());
        return true;
    }
    const qint64 n = spans.size();
    QList<EncodedDetail> details;
    details.reserve(n);
    for (const Span &s : std::as_const(spans))
        details.push_back(EncodedDetail::of(s));
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping)
            return false;
        m_queue.push_back({std::move(spans), std::move(details), std::move(done)});
        m_queuedSpans += n;
    }
    m_pendingSpans.fetch_add(n);
    m_wake.notify_one();
    return true;
}

LiveWriterActivity LiveWriter::takeActivity()
{
    std::lock_guard lock(m_activityMutex);
    LiveWriterActivity out = std::move(m_activity);
    m_activity = {};
    return out;
}

namespace {
// Rows per idle full-text step: about 15 ms on the reference machine.
constexpr qint64 IdleIndexRows = 4000;
} // namespace

void LiveWriter::run(std::function<void(bool, QString)> opened)
{
    TraceStore store;
    if (!store.open(m_options.workspacePath)) {
        opened(false, store.lastError());
        return;
    }
    if (store.isReadOnly()) {
        opened(false, tr("The workspace %1 is read-only.").arg(m_options.workspacePath));
        return;
    }
    store.setMemoryMapped(false);
    m_running.store(true);
    opened(true, QString());

    std::vector<Item> group;
    SpanList batch;
    QList<EncodedDetail> details;
    // A backlog for the full-text index (left by an earlier bulk import, cancelled or cut short by
    // the app quitting, or by groups written under load, below) is indexed while no spans wait, a
    // chunk at a time: a submission waits for at most one chunk. (Other writes index their own
    // rows unless the backlog is big; see TraceStore::writeSpans.)
    bool backlog = store.counts().pendingFullText > 0;
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            if (backlog && m_queue.empty() && !m_stopping) {
                lock.unlock();
                backlog = store.indexFullText(IdleIndexRows) > 0;
                continue;
            }
            // Spans waiting already, with no pause since the last transaction: the writer is the
            // bottleneck. Then the group leaves its rows to the full-text index's idle catch-up
            // above: indexing them in the same transaction cost the writer about a fifth of its
            // throughput (OTLP/JSON on loopback, 8 senders: 41,000-45,000 spans/s with it,
            // 52,000-55,000 without). Once the senders pause, the backlog is indexed a chunk at a
            // time.
            const bool busy = !m_queue.empty();
            store.setFullTextDeferred(busy);
            m_wake.wait(lock, [&] { return !m_queue.empty() || m_stopping; });
            if (m_queue.empty() && m_stopping)
                break;
            // No waiting for company: what queued up while the last transaction ran is the next
            // group. (A 5 ms coalescing window here cost 6-35% of the throughput of senders that
            // wait for each answer: the writer sat idle while every sender waited for it.)
            qint64 taken = 0;
            while (!m_queue.empty()) {
                const qint64 n = m_queue.front().spans.size();
                if (!group.empty() && taken + n > m_options.maxSpansPerCommit)
                    break;
                taken += n;
                group.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
            m_queuedSpans -= taken;
        }

        batch.clear();
        details.clear();
        qsizetype total = 0;
        for (const Item &item : group)
            total += item.spans.size();
        batch.reserve(total);
        details.reserve(total);
        for (Item &item : group) {
            for (Span &s : item.spans)
                batch.push_back(std::move(s));
            details.append(std::move(item.details));
        }
        const bool ok = store.writeSpans(batch, details);
        backlog = backlog || (ok && store.isFullTextDeferred());
        const QString error = ok ? QString() : store.lastError();
        {
            std::lock_guard lock(m_activityMutex);
            if (ok) {
                m_activity.committedSpans += batch.size();
                ++m_activity.commits;
                for (const Span &s : std::as_const(batch))
                    m_activity.touchedTraces.insert(s.traceId);
            } else {
                m_activity.failedSpans += batch.size();
                m_activity.lastError = error;
            }
        }
        if (ok)
            m_totalCommitted.fetch_add(batch.size());
        m_pendingSpans.fetch_sub(batch.size());
        for (Item &item : group) {
            if (item.done)
                item.done(ok, error);
        }
        group.clear();
    }
    m_running.store(false);
    store.close();
}

} // namespace spanscope

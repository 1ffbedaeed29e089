#include "importpipeline.h"

#include "pricing/pricetable.h"
#include "semconv/semconv.h"
#include "store/detailcodec.h"
#include "store/tracestore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

namespace spanscope {

void enrichSpans(SpanList &spans, const PriceTable &prices)
{
    for (Span &s : spans) {
        semconv::normalize(s);
        applyComputedCost(s, prices);
    }
}

namespace {

// Hands batches from one stage of the pipeline to the next. Bounded, so a slow disk throttles the
// parser instead of letting parsed spans pile up in memory.
template<typename Item>
class BatchQueue
{
public:
    explicit BatchQueue(size_t capacity) : m_capacity(capacity) {}

    // False when the consumer has given up (the batch is dropped).
    bool push(Item &&batch)
    {
        std::unique_lock lock(m_mutex);
        m_notFull.wait(lock, [&] { return m_queue.size() < m_capacity || m_abandoned; });
        if (m_abandoned)
            return false;
        m_queue.push_back(std::move(batch));
        m_notEmpty.notify_one();
        return true;
    }

    void close()
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_notEmpty.notify_all();
    }

    void abandon()
    {
        std::lock_guard lock(m_mutex);
        m_abandoned = true;
        m_queue.clear();
        m_notFull.notify_all();
    }

    enum class Pop { Batch, Timeout, Done };
    Pop pop(Item &out, std::chrono::milliseconds wait)
    {
        std::unique_lock lock(m_mutex);
        if (!m_notEmpty.wait_for(lock, wait, [&] { return !m_queue.empty() || m_closed; }))
            return Pop::Timeout;
        if (m_queue.empty())
            return Pop::Done;
        out = std::move(m_queue.front());
        m_queue.pop_front();
        m_notFull.notify_one();
        return Pop::Batch;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_notEmpty;
    std::condition_variable m_notFull;
    std::deque<Item> m_queue;
    size_t m_capacity;
    bool m_closed = false;
    bool m_abandoned = false;
};

// Spans ready for the store: enriched, their detail documents encoded.
struct EnrichedBatch {
    SpanList spans;
    QList<EncodedDetail> details;
};

// Whether deferring the workspace's indexes pays for these files: rebuilding them takes about 3.6 s
// per GB of workspace, and writing with them in place runs at about a quarter of the speed into a
// big workspace (40 MB into a 1 GB, 1,000,000-span one: 2.0 s with them, 4.5 s deferred; even at
// 1/10 of the workspace deferring wins). A file that cannot be measured (a pipe) counts as big.
bool bulkWorthIt(const TraceStore &store, const QStringList &files)
{
    const QFileInfo workspace(store.path());
    if (!workspace.isFile())
        return true;  // a team store: its "bulk" mode defers nothing
    const qint64 workspaceBytes = workspace.size() + QFileInfo(store.path() + QStringLiteral("-wal")).size();
    qint64 inputBytes = 0;
    for (const QString &file : files) {
        const QFileInfo f(file);
        if (!f.isFile())
            return true;
        inputBytes += f.size();
    }
    return inputBytes >= workspaceBytes / 10;
}

} // namespace

QList<FileImportReport> importFiles(TraceStore &store, const QStringList &files, const ImportPipelineOptions &options)
{
    QList<FileImportReport> reports;
    const std::shared_ptr<const PriceTable> prices = options.prices ? options.prices : PriceTable::builtin();
    const bool bulk = options.bulk && bulkWorthIt(store, files) && store.beginBulk();

    for (int fileIndex = 0; fileIndex < files.size(); ++fileIndex) {
        const QString &path = files.at(fileIndex);
        FileImportReport report;
        QElapsedTimer timer;
        timer.start();

        // Three stages on three threads: parse (and redact) | enrich and encode details | write.
        // Parsing and writing each take about as long as enriching and encoding, so with two
        // stages one of two cores waited for the other much of the time. The parser stops when
        // the user cancels or when the workspace refuses a batch.
        std::atomic_bool stop = false;
        // Short queues: a batch of LLM spans is tens of MB, and peak memory is about the number of
        // batches alive at once (one per stage plus what waits in the queues).
        BatchQueue<SpanList> parsed(1);
        BatchQueue<EnrichedBatch> queue(2);
        // Written batches go back to the parser thread to be destroyed: their strings were
        // allocated there, and glibc frees a block fastest (no lock on another thread's arena, no
        // consolidation of a foreign arena) on the thread that allocated it.
        // The same for the encoded details, made on the enricher thread.
        std::mutex spentMutex;
        std::vector<SpanList> spent;
        std::vector<SpanList> written;  // to the enricher first (see below), then to `spent`
        std::vector<QList<EncodedDetail>> spentDetails;
        // Takes the list under the lock and destroys its batches after releasing it.
        auto drop = [&](auto &list) {
            std::remove_reference_t<decltype(list)> mine;
            std::lock_guard lock(spentMutex);
            mine.swap(list);
        };
        ImportResult result;
        std::thread enricher([&] {
            SpanList spans;
            for (;;) {
                const auto r = parsed.pop(spans, std::chrono::milliseconds(50));
                if (r == BatchQueue<SpanList>::Pop::Done)
                    break;
                if (r == BatchQueue<SpanList>::Pop::Timeout || stop)
                    continue;  // drain so the parser can finish
                drop(spentDetails);
                {
                    // The parts of written spans that enrichSpans() made are released here, on
                    // the thread that allocated them; the parser destroys the rest. (Freed on the
                    // parser, they kept each thread waiting for the other's malloc arena lock.)
                    std::vector<SpanList> mine;
                    {
                        std::lock_guard lock(spentMutex);
                        mine.swap(written);
                    }
                    for (SpanList &list : mine) {
                        for (Span &s : list) {
                            s.inputMessages = Messages();
                            s.outputMessages = Messages();
                            s.parameters = QVariantMap();
                            s.metadata = QVariantMap();
                            s.documents = {};
                            s.tags = QStringList();
                            s.messageOrigin = {};
                        }
                    }
                    std::lock_guard lock(spentMutex);
                    for (SpanList &list : mine)
                        spent.push_back(std::move(list));
                }
                EnrichedBatch batch;
                enrichSpans(spans, *prices);
                batch.details.reserve(spans.size());
                for (const Span &s : std::as_const(spans))
                    batch.details.push_back(EncodedDetail::of(s, true));  // freed on this thread (spentDetails)
                batch.spans = std::move(spans);
                spans = SpanList();
                if (!queue.push(std::move(batch))) {
                    stop = true;
                    parsed.abandon();
                }
            }
            queue.close();
        });
        std::thread parser([&] {
            ImportOptions io;
            io.batchSize = options.batchSize;
            io.forcedFormat = options.forcedFormat;
            io.keepSecrets = options.keepSecrets;
            io.cancel = &stop;
            if (options.progress)
                io.progress = [&](qint64 done, qint64 total) { options.progress(fileIndex, done, total); };
            result = importFile(
                path,
                [&](SpanList &&batch) {
                    drop(spent);
                    if (!parsed.push(std::move(batch)))
                        stop = true;
                },
                io);
            parsed.close();
            drop(spent);
        });

        EnrichedBatch batch;
        for (;;) {
            if (options.cancel && options.cancel->load())
                stop = true;
            const auto r = queue.pop(batch, std::chrono::milliseconds(50));
            if (r == BatchQueue<EnrichedBatch>::Pop::Done)
                break;
            if (r == BatchQueue<EnrichedBatch>::Pop::Timeout)
                continue;
            if (!report.storeError.isEmpty() || stop)
                continue;  // drain so the parser can finish
            if (store.writeSpans(batch.spans, batch.details)) {
                report.storedSpans += batch.spans.size();
                {
                    std::lock_guard lock(spentMutex);
                    written.push_back(std::move(batch.spans));
                    spentDetails.push_back(std::move(batch.details));
                }
                if (options.committed)
                    options.committed(fileIndex, report.storedSpans);
            } else {
                report.storeError = store.lastError();
                stop = true;
                queue.abandon();
            }
        }
        parser.join();
        enricher.join();
        report.result = std::move(result);
        if (options.cancel && options.cancel->load())
            report.result.cancelled = true;
        report.seconds = timer.nsecsElapsed() / 1e9;
        reports.push_back(std::move(report));
        if (options.cancel && options.cancel->load())
            break;
    }

    if (bulk)
        store.endBulk();
    if (options.indexFullTextNow)
        store.indexFullText();
    return reports;
}

} // namespace spanscope

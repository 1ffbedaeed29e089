#include "importcontroller.h"

#include "pricing/pricetable.h"
#include "store/tracestore.h"

#include <QFileInfo>
#include <QPointer>
#include <QThread>

namespace spanscope {

ImportController::ImportController(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<spanscope::FileImportReport>();
}

ImportController::~ImportController()
{
    cancel();
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

void ImportController::setWorkspace(const QString &path)
{
    m_workspace = path;
}

void ImportController::setPriceOverrideFile(const QString &path)
{
    m_priceOverrides = path;
}

void ImportController::importFiles(const QStringList &files)
{
    m_queue += files;
    if (!m_thread)
        startNext();
}

void ImportController::indexPending()
{
    if (m_thread)
        return;
    m_indexOnly = true;
    startNext();
}

void ImportController::cancel()
{
    m_queue.clear();
    m_indexOnly = false;
    if (m_cancel)
        m_cancel->store(true);
}

void ImportController::startNext()
{
    if (m_queue.isEmpty() && !m_indexOnly)
        return;
    m_indexOnly = false;
    const QStringList files = std::exchange(m_queue, {});
    m_cancel = std::make_shared<std::atomic_bool>(false);
    auto cancelFlag = m_cancel;
    const QString workspace = m_workspace;
    const QString overrides = m_priceOverrides;
    const bool keepSecrets = m_keepSecrets;
    QPointer<ImportController> self(this);

    Q_EMIT started(files);
    m_thread = QThread::create([=] {
        auto post = [self](auto fn) {
            QMetaObject::invokeMethod(
                self.data(), [self, fn] { if (self) fn(self.data()); }, Qt::QueuedConnection);
        };
        TraceStore store;
        if (!store.open(workspace)) {
            for (const QString &f : files) {
                FileImportReport r;
                r.result.file = f;
                r.storeError = store.lastError();
                post([r](ImportController *c) { Q_EMIT c->fileFinished(r); });
            }
            return;
        }
        ImportPipelineOptions options;
        options.cancel = cancelFlag.get();
        options.indexFullTextNow = false;
        options.keepSecrets = keepSecrets;
        if (!overrides.isEmpty()) {
            QString error;
            options.prices = PriceTable::withOverrides(overrides, &error);
        }
        // Progress and commit notices are throttled here so the GUI thread is never flooded.
        QElapsedTimer progressTimer, commitTimer;
        progressTimer.start();
        commitTimer.start();
        const int fileCount = int(files.size());
        options.progress = [&](int fileIndex, qint64 done, qint64 total) {
            if (progressTimer.elapsed() < 50)
                return;
            progressTimer.restart();
            const double fraction = (fileIndex + (total > 0 ? double(done) / double(total) : 0.0)) / fileCount;
            const QString what = tr("Importing %1 (%2 of %3)").arg(QFileInfo(files.at(fileIndex)).fileName()).arg(fileIndex + 1).arg(fileCount);
            post([fraction, what](ImportController *c) { Q_EMIT c->progress(fraction, what); });
        };
        options.committed = [&](int, qint64) {
            if (commitTimer.elapsed() < 500)
                return;
            commitTimer.restart();
            post([](ImportController *c) { Q_EMIT c->spansCommitted(); });
        };
        const QList<FileImportReport> reports =
            files.isEmpty() ? QList<FileImportReport>{} : spanscope::importFiles(store, files, options);
        for (const FileImportReport &r : reports)
            post([r](ImportController *c) { Q_EMIT c->fileFinished(r); });
        post([](ImportController *c) { Q_EMIT c->spansCommitted(); });

        // Full-text indexing catches up after the spans are visible; it can be cancelled too.
        if (!cancelFlag->load() && store.counts().pendingFullText > 0) {
            post([](ImportController *c) { Q_EMIT c->indexingStarted(); });
            const qint64 pending = std::max<qint64>(store.counts().pendingFullText, 1);
            qint64 done = 0;
            while (!cancelFlag->load()) {
                const qint64 n = store.indexFullText(20000);
                if (n <= 0)
                    break;
                done += n;
                const double fraction = std::min(1.0, double(done) / double(pending));
                post([fraction](ImportController *c) { Q_EMIT c->progress(fraction, tr("Indexing for search")); });
            }
        }
    });
    m_thread->setObjectName(QStringLiteral("ImportWorker"));
    connect(m_thread, &QThread::finished, this, [this] {
        const bool cancelled = m_cancel && m_cancel->load();
        m_thread->deleteLater();
        m_thread = nullptr;
        m_cancel.reset();
        Q_EMIT finished(cancelled);
        startNext();
    });
    m_thread->start();
}

} // namespace spanscope

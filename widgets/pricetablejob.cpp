#include "pricetablejob.h"

#include "pricing/pricetable.h"
#include "store/tracestore.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QPointer>
#include <QThread>

namespace spanscope {

PriceTableJob::PriceTableJob(QObject *parent)
    : QObject(parent)
{
}

PriceTableJob::~PriceTableJob()
{
    cancel();
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

void PriceTableJob::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

bool PriceTableJob::start(const QString &workspacePath, const QString &overridesPath)
{
    if (m_thread)
        return false;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    auto cancelFlag = m_cancel;
    QPointer<PriceTableJob> self(this);
    auto post = [self](auto fn) {
        QMetaObject::invokeMethod(self.data(), [self, fn] { if (self) fn(self.data()); }, Qt::QueuedConnection);
    };
    m_thread = QThread::create([=] {
        std::shared_ptr<const PriceTable> prices = PriceTable::builtin();
        if (!overridesPath.isEmpty() && QFileInfo::exists(overridesPath)) {
            QString error;
            prices = PriceTable::withOverrides(overridesPath, &error);
            if (!prices) {
                post([error](PriceTableJob *j) { Q_EMIT j->finished(false, 0, tr("Your prices cannot be read: %1").arg(error)); });
                return;
            }
        }
        TraceStore store;
        if (!store.open(workspacePath)) {
            const QString error = store.lastError();
            post([error](PriceTableJob *j) { Q_EMIT j->finished(false, 0, error); });
            return;
        }
        QElapsedTimer timer;
        timer.start();
        double last = -1;
        const qint64 changed = store.recomputeCosts([&](Span &s) { applyComputedCost(s, *prices); },
                                                    [&](qint64 done, qint64 total) {
                                                        const double f = total > 0 ? double(done) / double(total) : 1.0;
                                                        if (f - last >= 0.005 || f >= 1.0) {
                                                            last = f;
                                                            post([f](PriceTableJob *j) { Q_EMIT j->progress(f); });
                                                        }
                                                        return !cancelFlag->load();
                                                    });
        const bool cancelled = cancelFlag->load();
        const QString error = store.lastError();
        const double seconds = timer.elapsed() / 1000.0;
        post([=](PriceTableJob *j) {
            if (changed < 0)
                Q_EMIT j->finished(false, 0, error);
            else if (cancelled)
                Q_EMIT j->finished(true, changed, tr("Recomputing costs stopped; %n span(s) re-priced so far.", nullptr, int(changed)));
            else
                Q_EMIT j->finished(true, changed,
                                   tr("Costs recomputed: %n span(s) changed", nullptr, int(changed)) + tr(" (%1 s).").arg(seconds, 0, 'f', 1));
        });
    });
    m_thread->setObjectName(QStringLiteral("PriceTableJob"));
    connect(m_thread, &QThread::finished, this, [this] {
        m_thread->deleteLater();
        m_thread = nullptr;
        m_cancel.reset();
    });
    m_thread->start();
    return true;
}

} // namespace spanscope

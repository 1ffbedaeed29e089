#pragma once

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

class QThread;

namespace spanscope {

// "Recompute costs": re-applies the price table (built-in plus the user's overrides) to the spans
// of a workspace on a worker thread with its own connection (TraceStore::recomputeCosts). Costs
// reported by producers stay; spans whose model has no price become "price missing". Progress is
// throttled; cancel() stops after the chunk being written.
class PriceTableJob : public QObject
{
    Q_OBJECT
public:
    explicit PriceTableJob(QObject *parent = nullptr);
    ~PriceTableJob() override;

    // `overridesPath` empty or missing: the built-in prices alone.
    bool start(const QString &workspacePath, const QString &overridesPath);
    void cancel();
    bool isRunning() const { return m_thread != nullptr; }

Q_SIGNALS:
    void progress(double fraction);
    // `changed`: spans whose cost changed; `message` says what happened (or what failed).
    void finished(bool ok, qint64 changed, const QString &message);

private:
    QThread *m_thread = nullptr;
    std::shared_ptr<std::atomic_bool> m_cancel;
};

} // namespace spanscope

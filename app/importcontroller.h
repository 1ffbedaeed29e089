#pragma once

#include "ingest/importpipeline.h"

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>

#include <atomic>
#include <memory>

class QThread;

namespace spanscope {

// Runs imports off the GUI thread: one worker thread parses and writes into the workspace through
// its own connection; the GUI sees throttled progress, periodic "spans committed" notices (so the
// trace list can show valid spans while the import goes on) and the reports at the end.
// Files asked for while an import runs are queued behind it. started() with no files is a run that
// only indexes for search (indexPending()).
class ImportController : public QObject
{
    Q_OBJECT
public:
    explicit ImportController(QObject *parent = nullptr);
    ~ImportController() override;

    void setWorkspace(const QString &path);   // takes effect for the next import
    void setPriceOverrideFile(const QString &path);
    void setKeepSecrets(bool keep) { m_keepSecrets = keep; }
    void importFiles(const QStringList &files);
    // Brings the full-text index up to date without importing (a run with no files): what an
    // import or indexing left pending when it was cancelled or the app quit. Ignored while a run
    // is going on (each run ends by indexing).
    void indexPending();
    void cancel();                            // stops the running import and drops the queue
    bool isRunning() const { return m_thread != nullptr; }

Q_SIGNALS:
    void started(const QStringList &files);
    // fraction in [0, 1] over all files of this run; `what` says what is happening.
    void progress(double fraction, const QString &what);
    void spansCommitted();
    void fileFinished(const spanscope::FileImportReport &report);
    void finished(bool cancelled);
    void indexingStarted();

private:
    void startNext();

    QString m_workspace;
    QString m_priceOverrides;
    bool m_keepSecrets = false;
    QStringList m_queue;
    bool m_indexOnly = false;  // indexPending() asked for a run with no files
    QThread *m_thread = nullptr;
    std::shared_ptr<std::atomic_bool> m_cancel;
};

} // namespace spanscope

Q_DECLARE_METATYPE(spanscope::FileImportReport)

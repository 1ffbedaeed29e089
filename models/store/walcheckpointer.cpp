#include "walcheckpointer.h"

#include <QSqlDatabase>
#include <QSqlQuery>

#include <chrono>
#include <future>

namespace spanscope {

namespace {
std::atomic<quint64> s_checkpointerCounter{0};
}

WalCheckpointer::WalCheckpointer(QString path, int intervalMs) : m_path(std::move(path)), m_intervalMs(intervalMs) {}

WalCheckpointer::~WalCheckpointer()
{
    stop();
}

bool WalCheckpointer::start()
{
    if (m_thread.joinable())
        return true;
    m_stop = false;
    std::promise<bool> opened;
    std::future<bool> result = opened.get_future();
    m_thread = std::thread([this, &opened] { run(&opened); });
    if (!result.get()) {
        m_thread.join();
        return false;
    }
    return true;
}

void WalCheckpointer::stop()
{
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void WalCheckpointer::run(std::promise<bool> *opened)
{
    // A Qt SQL connection belongs to the thread that made it: created, used and removed here.
    const QString name = QStringLiteral("spanscope-checkpoint-%1").arg(++s_checkpointerCounter);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_path);
        // Short: a round that finds the file busy is skipped, not waited for.
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=200"));
        const bool ok = db.open();
        opened->set_value(ok);  // `opened` is gone after this
        if (ok) {
            QSqlQuery q(db);
            q.exec(QStringLiteral("PRAGMA synchronous = NORMAL"));
            std::unique_lock lock(m_mutex);
            while (!m_wake.wait_for(lock, std::chrono::milliseconds(m_intervalMs), [this] { return m_stop; })) {
                lock.unlock();
                // PASSIVE never blocks the writer; it copies what is committed and syncs.
                q.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
                q.finish();
                ++m_rounds;
                lock.lock();
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace spanscope

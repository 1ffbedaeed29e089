#pragma once

#include <QString>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

namespace spanscope {

// Copies a workspace's write-ahead log into the database file from a thread and connection of its
// own, so a bulk import rarely waits for a checkpoint (and its fsyncs): the importing connection
// raises its automatic-checkpoint threshold while this runs. A round that finds the file busy is
// simply tried again on the next one.
class WalCheckpointer
{
public:
    explicit WalCheckpointer(QString path, int intervalMs = 100);
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    // false when the checkpoint connection could not be opened (then nothing runs)
    bool start();
    void stop();
    bool isRunning() const { return m_thread.joinable(); }
    int completedRounds() const { return m_rounds.load(); }

private:
    void run(std::promise<bool> *opened);

    QString m_path;
    int m_intervalMs;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::atomic<int> m_rounds{0};
};

} // namespace spanscope

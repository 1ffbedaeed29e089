#include <QApplication>
#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    std::printf("spanscope %s\n", SPANSCOPE_VERSION);
    return 0;
}

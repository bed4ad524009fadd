import HirobaCLI

HirobaCommand.main()

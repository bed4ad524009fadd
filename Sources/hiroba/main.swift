import HirobaCLI

await HirobaCommand.main()

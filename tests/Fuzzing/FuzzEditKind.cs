namespace Ipvs.Fuzzing;

internal enum FuzzEditKind
{
    FlipBit,
    SetByte,
    SetInteresting16,
    SetInteresting32,
    Truncate,
    Extend,
    DeleteChunk,
    DuplicateChunk,
    InsertByte,
}

namespace Ipvs.Fuzzing;

/// <summary>An input made the target throw an unexpected exception type, or run past the stall limit.</summary>
internal sealed class FuzzFindingException(string message, Exception? inner) : Exception(message, inner);

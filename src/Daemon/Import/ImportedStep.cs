namespace Ipvs.Daemon.Import;

/// <summary>One send/expect step of an expect check: { send: TEXT }, { expect_regex: REGEX }, ...</summary>
internal sealed record ImportedStep(string Key, string Value);

namespace Ipvs.Checks.Io;

/// <summary>Takes the outcome of a <see cref="ReadinessWaiter.Wait"/>: the epoll event mask, or −errno (−ETIMEDOUT, −ECANCELED).</summary>
internal interface IReadinessHandler
{
    void OnWaitDone(int result);
}

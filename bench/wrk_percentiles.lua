-- wrk reports p50/p75/p90/p99 by itself; the drill wants p50/p95/p99 (issue 7).
done = function(summary, latency, requests)
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("PERCENTILE %d %d\n", p, latency:percentile(p)))
  end
end

-- The code lenses come without an autocommand of the user's: on attaching, and after a run
-- with its outcome in the lens; `codelens = false` leaves them to the user.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local workspace = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE
  local function titles(bufnr)
    local out = {}
    for _, lens in ipairs(vim.lsp.codelens.get(bufnr)) do
      table.insert(out, lens.command and lens.command.title or "")
    end
    return out
  end
  local function has(bufnr, pattern)
    for _, title in ipairs(titles(bufnr)) do
      if title:find(pattern) then
        return true
      end
    end
    return false
  end
  local hello = h.open(workspace .. "/scripts/hello.py")
  h.wait("the lenses of the script", function()
    return has(hello, "Run with inputs")
  end)
  h.facts.first = titles(hello)
  vim.cmd('ScriptContractRun {"name": "Ada"}')
  h.result_lines("hello.py", "Hello, Ada!")
  h.wait("the run's outcome in the lens", function()
    return has(hello, "✓")
  end)
  h.facts.after_run = titles(hello)
  -- Opted out: nothing is asked for (the round trip behind the "nothing").
  require("scriptcontract").config.codelens = false
  local other = h.open(workspace .. "/scripts/call_api.py")
  h.round_trip(other)
  vim.wait(300)
  h.facts.opted_out = titles(other)
end

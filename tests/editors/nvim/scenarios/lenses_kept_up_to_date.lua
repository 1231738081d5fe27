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
  -- Opens `script`, runs it with `inputs`: its lens titles before the run and with its outcome.
  local function run_and_see(script, inputs, printed)
    local bufnr = h.open(workspace .. "/scripts/" .. script)
    h.wait("the lenses of " .. script, function()
      return has(bufnr, "Run with inputs")
    end)
    local before = titles(bufnr)
    vim.cmd("ScriptContractRun " .. inputs)
    h.result_lines(script, printed)
    h.wait("the outcome of " .. script .. " in its lens", function()
      return has(bufnr, "✓")
    end, 10000)
    return before, titles(bufnr)
  end
  h.facts.first, h.facts.after_run = run_and_see("hello.py", '{"name": "Ada"}', "Hello, Ada!")
  -- A run whose result window is open already (no window is entered): the server's refresh
  -- brings the outcome, as it does for every change of the lenses.
  h.facts.second_before, h.facts.second_after =
    run_and_see("broken_exit_codes.py", '{"command": ["true"]}', "success")
  -- Opted out: nothing is asked for (the round trip behind the "nothing").
  require("scriptcontract").config.codelens = false
  local other = h.open(workspace .. "/scripts/call_api.py")
  h.round_trip(other)
  vim.wait(300)
  h.facts.opted_out = titles(other)
end

-- :ScriptContractExplore 5 on a script that divides by an input: the failure in the quickfix
-- list and as a diagnostic at its line; then its code action "Save input as case" writes the
-- smallest input to the cases file.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local workspace = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE
  -- Written into the workspace by the test.
  local script = h.open(workspace .. "/scripts/explore_divides.py")
  h.record_notifications()
  local answered = h.answer_of("the exploration's answer", function(answer)
    require("scriptcontract.explore").explore(script, "5", answer)
  end, 60000)
  h.facts.seed = answered.seed
  h.facts.stopped = answered.stopped
  h.facts.quickfix_title = vim.fn.getqflist({ title = 1 }).title
  h.facts.quickfix = {}
  for _, item in ipairs(vim.fn.getqflist()) do
    table.insert(h.facts.quickfix, { lnum = item.lnum, text = item.text })
  end
  local failure = h.wait_diagnostics("the failure's diagnostic in the script", script, "scriptcontract-explore")[1]
  h.facts.failure = failure
  vim.api.nvim_set_current_buf(script)
  vim.api.nvim_win_set_cursor(0, { failure.lnum + 1, failure.col })
  h.facts.offered = {}
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      table.insert(h.facts.offered, action.title)
      return action.title == "Save input as case"
    end,
  })
  local cases = workspace .. "/scripts/explore_divides.cases.json"
  h.wait("the case written to the cases file", function()
    return vim.fn.filereadable(cases) == 1 and table.concat(vim.fn.readfile(cases), "\n"):find("explored", 1, true) ~= nil
  end)
  h.facts.written = vim.json.decode(table.concat(vim.fn.readfile(cases), "\n"))
end

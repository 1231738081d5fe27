-- VS Code's Show Output, Restart Server and Show Server Log: :ScriptContractResult shows the
-- last result again after its window was closed, :ScriptContractRestart gives the open buffers
-- a new server, :ScriptContractLog opens the LSP log.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  h.record_notifications()
  local run = require("scriptcontract.run")
  local workspace = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE
  local hello = h.open(workspace .. "/scripts/hello.py")
  local code_win = vim.api.nvim_get_current_win()

  -- Not run yet: said, no window.
  vim.cmd("ScriptContractResult")
  h.facts.before_run = h.wait_notification("no result of").message
  h.facts.windows_before_run = #vim.api.nvim_tabpage_list_wins(0)

  vim.cmd('ScriptContractRun {"name": "Again"}')
  h.result_lines("hello.py", "Hello, Again!")
  vim.api.nvim_win_close(run.result_win, true)
  h.facts.windows_closed = #vim.api.nvim_tabpage_list_wins(0)
  vim.cmd("ScriptContractResult")
  h.facts.windows_shown = #vim.api.nvim_tabpage_list_wins(0)
  h.facts.shown = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(run.result_win), 0, -1, false)
  h.facts.cursor_stays = vim.api.nvim_get_current_win() == code_win

  -- A restart: the old server stops, the open script gets a new one that answers.
  local old = vim.lsp.get_clients({ bufnr = hello, name = "scriptcontract" })[1]
  vim.cmd("ScriptContractRestart")
  h.wait("a new server on the script", function()
    local now = vim.lsp.get_clients({ bufnr = hello, name = "scriptcontract" })[1]
    return now ~= nil and now.id ~= old.id and now.initialized
  end, 20000)
  h.facts.old_stopped = old:is_stopped()
  h.facts.clients = #vim.lsp.get_clients({ name = "scriptcontract" })
  local answer = h.round_trip(hello)
  h.facts.new_answers = answer ~= nil and answer.err == nil and type(answer.result) == "table"
  h.facts.restarted = h.wait_notification("the language server restarted").message

  vim.cmd("ScriptContractLog")
  h.facts.log_opened = vim.api.nvim_buf_get_name(0)
  h.facts.log_path = vim.lsp.get_log_path()
  h.facts.tabs = #vim.api.nvim_list_tabpages()
end

-- The language server stops while a run goes (it crashed): the run is said to have ended at
-- once, not left "in progress" until :ScriptContractCancel.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  h.record_notifications()
  h.open_waiting_script()
  h.facts.script_pid = h.start_waiting_run(vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/data/script.pid")
  -- The server is Neovim's only child process.
  local children = vim.api.nvim_get_proc_children(vim.fn.getpid())
  h.facts.children = #children
  assert(#children == 1 and children[1] > 1, "expected the server as Neovim's only child")
  vim.uv.kill(children[1], "sigkill")
  h.facts.ended = h.wait_notification("not finished").message
  h.facts.result_lines = h.result_lines("wait_for_service.py", "not finished")
  h.facts.running = vim.tbl_count(require("scriptcontract.run").running)
  local before = #h.facts.notifications
  vim.cmd("ScriptContractCancel")
  h.facts.cancel_said = h.facts.notifications[before + 1].message
end

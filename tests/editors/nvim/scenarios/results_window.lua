-- Runs reuse one result window: the code window keeps its height however many runs there are.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local scripts = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/scripts/"
  h.open(scripts .. "hello.py")
  local code_win = vim.api.nvim_get_current_win()
  h.facts.heights, h.facts.windows = {}, {}
  for _, name in ipairs({ "One", "Two", "Three" }) do
    vim.cmd(string.format('ScriptContractRun {"name": "%s"}', name))
    h.result_lines("hello.py", "Hello, " .. name .. "!")
    table.insert(h.facts.heights, vim.api.nvim_win_get_height(code_win))
    table.insert(h.facts.windows, #vim.api.nvim_tabpage_list_wins(0))
  end
  -- Another script's result goes to the same window.
  h.open(scripts .. "broken_no_error_handling.py")
  vim.cmd("ScriptContractRun {}")
  h.result_lines("broken_no_error_handling.py", "KeyError")
  h.facts.windows_after_another_script = #vim.api.nvim_tabpage_list_wins(0)
  h.facts.height_after_another_script = vim.api.nvim_win_get_height(code_win)
  h.facts.cursor_stays_in_code = vim.api.nvim_get_current_win() == code_win
end

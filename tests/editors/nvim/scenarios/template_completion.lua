-- The workflow-script completion item in a new, empty script, through Neovim's own LSP
-- completion (vim.lsp.completion): type "wor", ask for completion, accept the item; Neovim
-- expands the snippet (vim.snippet); then type the input key at the first tab stop, jump to
-- the result and type it.
--
-- Typed keys are read by feedkeys with "x!", which stays in Insert mode and waits there for
-- more; a timer watches what happens meanwhile and types the next keys, ending with <Esc>.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local path = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/scripts/from_completion.py"
  local bufnr = h.open(path)
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = "scriptcontract" })[1]
  vim.lsp.completion.enable(true, client.id, bufnr, { autotrigger = false })
  vim.o.completeopt = "menu,menuone,noinsert"
  local function typed(text)
    return vim.api.nvim_replace_termcodes(text, true, false, true)
  end
  local text = function()
    return h.buffer_text(bufnr) .. "\n"
  end
  local steps = {
    {
      "the completion menu",
      function()
        return vim.fn.pumvisible() == 1
      end,
      function()
        h.facts.items = vim.tbl_map(function(item)
          return item.word
        end, vim.fn.complete_info({ "items" }).items)
        return "<C-y>" -- the item is selected (completeopt without noselect): accept it
      end,
    },
    {
      "the snippet to expand",
      function()
        return text():match("def main") ~= nil
      end,
      function()
        h.facts.snippet_active = vim.snippet.active()
        h.facts.expanded = text()
        return "path" -- over the selected first tab stop: the input key
      end,
    },
    {
      "the key typed",
      function()
        return text():match('value = inputs%["path"%]') ~= nil
      end,
      function()
        return "<Cmd>lua vim.snippet.jump(1)<CR>"
      end,
    },
    {
      -- vim.snippet selects the next tab stop with keys of its own, typed after ours.
      "the result's tab stop selected",
      function()
        return vim.fn.mode() == "s"
      end,
      function()
        return "[value]<Esc>"
      end,
    },
  }
  local step, failed = 1, nil
  local deadline = vim.uv.now() + 20000
  local timer = assert(vim.uv.new_timer())
  timer:start(
    50,
    50,
    vim.schedule_wrap(function()
      local current = steps[step]
      if current == nil then
        return
      end
      if vim.uv.now() > deadline then
        failed = "timed out waiting for " .. current[1] .. "; the buffer: " .. text()
        step = #steps + 1
        vim.api.nvim_feedkeys(typed("<Esc>"), "t", false)
      elseif current[2]() then
        step = step + 1
        vim.api.nvim_feedkeys(typed(current[3]()), "t", false)
      end
    end)
  )
  vim.api.nvim_feedkeys(typed("iwor<Cmd>lua vim.lsp.completion.get()<CR>"), "t", false)
  -- Each pass reads the keys typed so far; in Insert mode it also waits there for the next.
  local stop = vim.uv.now() + 30000
  while (step <= #steps or vim.fn.mode() ~= "n") and vim.uv.now() < stop do
    vim.api.nvim_feedkeys("", "x!", false)
    vim.wait(20)
  end
  h.facts.mode, h.facts.left_ms = vim.fn.mode(), stop - vim.uv.now()
  timer:stop()
  timer:close()
  assert(failed == nil, failed)
  h.facts.typed = text()
end
